package io.durablestreams.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class OffsetTest {
    @Test
    void formatsBothComponentsAsSixteenDigits() {
        assertThat(new Offset(3, 42).toString()).isEqualTo("0000000000000003_0000000000000042");
    }

    @Test
    void conformanceLiteralsKeepTheirMeaning() {
        assertThat(Offset.parse("0000000000000000_0000000000000000")).isEqualTo(new Offset(0, 0));
        assertThat(Offset.parse("9999999999999999_9999999999999999"))
                .isEqualTo(new Offset(Offset.MAX_COMPONENT, Offset.MAX_COMPONENT));
    }

    @Test
    void rejectsEverythingThatIsNotExactlyOurForm() {
        for (String bad : new String[] {"", "-1", "now", "0_0", "000000000000000a_0000000000000000",
                "0000000000000000-0000000000000000", "0000000000000000_00000000000000000",
                " 000000000000000_0000000000000000", "0000000000000000_000000000000000,"}) {
            assertThat(Offset.parse(bad)).as(bad).isNull();
        }
        assertThat(Offset.parse(null)).isNull();
    }

    @Test
    void rejectsNegativeComponents() {
        assertThatThrownBy(() -> new Offset(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void roundTripsAndStringOrderEqualsNumericOrder(
            @ForAll @LongRange(max = Offset.MAX_COMPONENT) long incA, @ForAll @LongRange(max = Offset.MAX_COMPONENT) long posA,
            @ForAll @LongRange(max = Offset.MAX_COMPONENT) long incB, @ForAll @LongRange(max = Offset.MAX_COMPONENT) long posB) {
        Offset a = new Offset(incA, posA);
        Offset b = new Offset(incB, posB);
        assertThat(Offset.parse(a.toString())).isEqualTo(a);
        assertThat(Integer.signum(a.toString().compareTo(b.toString()))).isEqualTo(Integer.signum(a.compareTo(b)));
    }
}
