package dev.purertc.ice;

import java.net.InetSocketAddress;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.security.CredentialsAuthority;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.StunStack;

/** ice4j's own MESSAGE-INTEGRITY check, as a reference for the STUN messages PureRTC builds without it. */
final class Ice4jIntegrity {

    private Ice4jIntegrity() {
    }

    /**
     * Whether ice4j's stack accepts {@code message}'s MESSAGE-INTEGRITY for {@code username}
     * ({@code localUfrag:remoteUfrag}), the key being the password it looks up for {@code localUfrag}.
     *
     * @param from where the message came from, as ice4j's stack would record it
     */
    static boolean validates(byte[] message, MessageIntegrityAttribute integrity, String localUfrag, byte[] key,
                             String username, InetSocketAddress from) {
        StunStack stack = new StunStack();
        try {
            stack.getCredentialsManager().registerAuthority(new CredentialsAuthority() {
                @Override
                public byte[] getLocalKey(String ufrag) {
                    return localUfrag.equals(ufrag) ? key : null;
                }

                @Override
                public byte[] getRemoteKey(String ufrag, String media) {
                    return null;
                }

                @Override
                public boolean checkLocalUserName(String ufrag) {
                    return localUfrag.equals(ufrag);
                }
            });
            TransportAddress address = new TransportAddress(from.getAddress(), from.getPort(), Transport.UDP);
            RawMessage raw = RawMessage.build(message, message.length, address, address);
            return stack.validateMessageIntegrity(integrity, username, true, raw);
        } finally {
            stack.shutDown();
        }
    }
}
