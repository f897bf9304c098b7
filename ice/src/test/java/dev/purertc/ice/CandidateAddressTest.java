package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.purertc.sdp.CandidateType;
import dev.purertc.sdp.IceCandidate;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CandidateAddressTest {

    private static final byte[] FE80_1 = {
        (byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    @Test
    void scopedIpv6AddressLosesItsZoneAndBuildsAValidCandidate() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, FE80_1, 7);
        assertEquals("fe80:0:0:0:0:0:0:1%7", scoped.getHostAddress());

        String address = IceAgent.sdpAddress(scoped);
        assertEquals("fe80:0:0:0:0:0:0:1", address);
        IceCandidate candidate = IceCandidate.builder()
                .foundation("1").component(1).transport("udp").priority(2130706431L)
                .address(address).port(50000).type(CandidateType.HOST).build();
        assertEquals("candidate:1 1 udp 2130706431 fe80:0:0:0:0:0:0:1 50000 typ host",
                candidate.toCandidateString());
    }

    @Test
    void unscopedAddressesAreWrittenAsTheyAre() throws Exception {
        assertEquals("127.0.0.1", IceAgent.sdpAddress(InetAddress.getByName("127.0.0.1")));
        assertEquals("0:0:0:0:0:0:0:1", IceAgent.sdpAddress(InetAddress.getByName("::1")));
    }
}
