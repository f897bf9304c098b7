package dev.purertc.ice;

import java.net.InetSocketAddress;

import org.ice4j.StunException;
import org.ice4j.StunMessageEvent;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.message.Message;
import org.ice4j.message.Response;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.StunStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a STUN datagram that PureRTC read itself (from a shared port or a shared reader) to an ice4j
 * {@link StunStack}, as ice4j's own per-socket reader would: decode, then {@link StunStack#handleMessageEvent};
 * after a response, the answered transaction's retransmitter is stopped ({@link AnsweredTransactionRetransmitter}).
 */
final class Ice4jStunDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(Ice4jStunDelivery.class);

    private Ice4jStunDelivery() {
    }

    /** The decoded message, or null (logged) if {@code data} is not valid STUN. */
    static Message decode(byte[] data, InetSocketAddress remote) {
        try {
            return Message.decode(data, 0, data.length);
        } catch (StunException e) {
            LOG.debug("undecodable STUN from {}: {}", remote, e.toString());
            return null;
        }
    }

    /** Delivers {@code message} (decoded from {@code data}) received on {@code local} from {@code remote}. */
    static void deliver(StunStack stack, byte[] data, Message message, InetSocketAddress local,
                        InetSocketAddress remote) {
        RawMessage raw = RawMessage.build(data, data.length,
                new TransportAddress(remote.getAddress(), remote.getPort(), Transport.UDP),
                new TransportAddress(local.getAddress(), local.getPort(), Transport.UDP));
        StunMessageEvent event = new StunMessageEvent(stack, raw, message);
        Object answered = message instanceof Response
                ? AnsweredTransactionRetransmitter.transaction(stack, event.getTransactionID()) : null;
        try {
            stack.handleMessageEvent(event);
        } catch (RuntimeException e) {
            LOG.debug("ice4j failed on STUN from {}: {}", remote, e.toString());
        }
        if (answered != null) {
            AnsweredTransactionRetransmitter.stop(answered);
        }
    }
}
