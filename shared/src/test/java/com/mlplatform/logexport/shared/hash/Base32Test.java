package com.mlplatform.logexport.shared.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Base32Test {

    @Test
    void encodeBytes_shouldReadThemAsOneBitString_mostSignificantFirst() {
        byte[] oneToSeventeen = new byte[17];
        for (int i = 0; i < oneToSeventeen.length; i++) {
            oneToSeventeen[i] = (byte) (i + 1);
        }

        // Worked out independently (Python: int.from_bytes(...) read five bits at a time from the top).
        assertThat(Base32.encode(oneToSeventeen, 26)).isEqualTo("041061050r3gg28a1c60t3gf20");
        assertThat(Base32.encode(new byte[] {(byte) 0xff, (byte) 0xff}, 3)).isEqualTo("zzz");
        assertThat(Base32.encode(new byte[] {0}, 1)).isEqualTo("0");
    }

    @Test
    void encodeLong_shouldTakeItsLowBits_mostSignificantFirst() {
        assertThat(Base32.encode(31L, 1)).isEqualTo("z");
        assertThat(Base32.encode(32L, 2)).isEqualTo("10");
        assertThat(Base32.encode(-1L, 12)).isEqualTo("zzzzzzzzzzzz");
    }

    @Test
    void encode_shouldRefuseMoreCharactersThanTheBitsHold() {
        assertThatThrownBy(() -> Base32.encode(new byte[2], 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base32.encode(0L, 13)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void bothEncodings_agree_andStayInsideTheCharacterClass(@ForAll @Size(8) byte[] bytes) {
        long topSixtyBits = ByteBuffer.wrap(bytes).getLong() >>> 4;

        String fromBytes = Base32.encode(bytes, 12);

        assertThat(Base32.encode(topSixtyBits, 12)).isEqualTo(fromBytes);
        assertThat(fromBytes).matches(Base32.CHARACTER_CLASS + "{12}");
    }
}
