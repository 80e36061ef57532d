#!/usr/bin/env bash
# Uses the artifacts the way another project does: installs them into the local Maven repository
# (the command client/README.md gives), then builds a tiny project in a temporary directory that
# imports ds-bom and depends on ds-client, ds-client-jackson and ds-server without versions, and runs
# it: it embeds a server and makes a round trip through it with the client and the Jackson codec.
# Also checks that the libraries ship sources and Javadoc jars and an Automatic-Module-Name.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="$(sed -n '/<artifactId>durable-streams-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' "$ROOT/pom.xml")"
[[ -n "$VERSION" ]] || { echo "consumer-test: no version in pom.xml" >&2; exit 1; }

echo "consumer-test: installing $VERSION (mvn install -DskipTests)"
(cd "$ROOT" && mvn -q -B install -DskipTests -pl bom,client,client-jackson,server -am)

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/src/main/java/example"
cat >"$TMP/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>ds-consumer</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.durablestreams</groupId>
        <artifactId>ds-bom</artifactId>
        <version>$VERSION</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>io.durablestreams</groupId>
      <artifactId>ds-client</artifactId>
    </dependency>
    <dependency>
      <groupId>io.durablestreams</groupId>
      <artifactId>ds-client-jackson</artifactId>
    </dependency>
    <dependency>
      <groupId>io.durablestreams</groupId>
      <artifactId>ds-server</artifactId>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-compiler-plugin</artifactId>
          <version>3.14.0</version>
        </plugin>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>3.8.1</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
EOF
cat >"$TMP/src/main/java/example/Consumer.java" <<'EOF'
package example;

import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.ReadResponse;
import io.durablestreams.client.jackson.JacksonJsonCodec;
import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.DurableStreamsServer;
import io.durablestreams.server.ServerConfig;
import java.util.List;
import java.util.random.RandomGenerator;

public class Consumer {
    public record Order(String id, int quantity) {}

    public static void main(String[] args) throws Exception {
        EngineConfig engine = EngineConfig.defaults();
        DurableStreamsServer server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engine),
                new StreamEngine(engine, new MemoryStorage(), System::currentTimeMillis, RandomGenerator.getDefault())).start();
        try {
            JacksonJsonCodec json = new JacksonJsonCodec();
            DurableStreamsClient client = DurableStreamsClient.newBuilder()
                    .baseUrl(server.url() + "/v1/stream").jsonCodec(json).build();
            DurableStream orders = client.stream("orders");
            orders.create(CreateOptions.newBuilder().contentType("application/json").build());
            orders.appendJson(new Order("A-1", 2));
            try (ReadResponse r = orders.read()) {
                List<Order> all = r.readAllJson().stream().map(m -> json.mapper().convertValue(m, Order.class)).toList();
                if (!all.equals(List.of(new Order("A-1", 2)))) {
                    throw new AssertionError("read back " + all);
                }
                System.out.println("consumer: round trip through " + orders.url() + ": " + all);
            }
        } finally {
            server.close();
        }
    }
}
EOF
cd "$TMP"
mvn -q -B package dependency:build-classpath -Dmdep.outputFile=classpath.txt
java -cp "target/classes:$(cat classpath.txt)" example.Consumer

# What a build tool or IDE of the consumer picks up next to each library jar.
for artifact in ds-client ds-client-jackson ds-server; do
  jar="$(tr ':' '\n' <classpath.txt | grep "/$artifact-$VERSION.jar\$")"
  for extra in sources javadoc; do
    [[ -s "${jar%.jar}-$extra.jar" ]] || { echo "consumer-test: no $extra jar next to $jar" >&2; exit 1; }
  done
  module="$(jar --describe-module --file "$jar" | awk '/automatic$/ {print $1}')"
  [[ "$module" == io.durablestreams.* ]] || { echo "consumer-test: $artifact has no Automatic-Module-Name" >&2; exit 1; }
  echo "consumer-test: $artifact $VERSION: module $module, sources and javadoc jars"
done
echo "consumer-test: 1 passed, 0 failed"
