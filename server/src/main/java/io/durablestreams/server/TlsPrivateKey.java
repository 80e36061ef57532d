package io.durablestreams.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The private key of {@code --tls-key} as the PKCS#8 PEM that Netty's JDK TLS provider reads.
 *
 * <p>A PKCS#8 key ({@code BEGIN PRIVATE KEY}) is passed on unchanged. A PKCS#1 RSA key
 * ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa} and many certificate tools write) is
 * wrapped into PKCS#8 here: the JDK cannot read PKCS#1, and this is only a DER envelope around the
 * same bytes. Any other kind (an EC key in SEC1 form, an encrypted key) is refused with the
 * {@code openssl} command that converts it.
 */
final class TlsPrivateKey {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL } in DER. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private TlsPrivateKey() {
    }

    /**
     * The key in {@code file} as PKCS#8 PEM.
     *
     * @throws SSLException naming the file when it cannot be read or holds no usable key; for a key
     *                      in another format, the message gives the command that converts it
     */
    static InputStream pkcs8Pem(Path file) throws SSLException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new SSLException("cannot read --tls-key " + file + ": " + e.getMessage(), e);
        }
        Matcher m = PEM.matcher(pem);
        boolean found;
        while ((found = m.find()) && !m.group(1).endsWith("PRIVATE KEY")) {
            // skip what may come first: EC PARAMETERS (openssl ecparam -genkey), a certificate
        }
        if (!found) {
            throw unsupported(file, "no PEM private key found");
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw unsupported(file, "its " + type + " block is not valid base64");
        }
        return switch (type) {
            case "PRIVATE KEY" -> new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
            case "RSA PRIVATE KEY" -> {
                byte[] pkcs8 = sequence(concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, der)));
                try {
                    KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)); // fail here, with the file's name
                } catch (GeneralSecurityException e) {
                    throw unsupported(file, "its RSA PRIVATE KEY (PKCS#1) does not parse: " + e.getMessage());
                }
                String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8);
                yield new ByteArrayInputStream(("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            default -> throw unsupported(file, "the key is a \"" + type + "\" block, not PKCS#8 (\"PRIVATE KEY\") "
                    + "or PKCS#1 RSA (\"RSA PRIVATE KEY\")");
        };
    }

    private static SSLException unsupported(Path file, String why) {
        return new SSLException("--tls-key " + file + ": " + why + "; convert it to unencrypted PKCS#8 with: "
                + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key-pkcs8.pem");
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    /** DER tag, definite length, content. */
    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
