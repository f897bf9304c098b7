package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import org.ice4j.ResponseCollector;
import org.ice4j.StunResponseEvent;
import org.ice4j.StunTimeoutEvent;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.stack.StunStack;
import org.ice4j.stack.TransactionID;
import org.junit.jupiter.api.Test;

/**
 * ice4j schedules a client transaction's retransmitter after sending its request; a response handled before
 * that (here: synchronously, inside the send) leaves a retransmitter running with nothing to retransmit.
 * Responses delivered through {@link Ice4jStunDelivery} stop it. Each test counts the tasks in ice4j's one
 * retransmission timer before and after one transaction.
 */
class AnsweredTransactionRetransmitterTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001);
    private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40002);

    /** A socket view whose send answers every request at once, before {@code sendRequest} returns. */
    private static final class AnswersInsideSend extends DatagramSocketView {
        final StunStack stack;
        final boolean throughPureRtc;
        final AtomicInteger sent = new AtomicInteger();

        AnswersInsideSend(StunStack stack, boolean throughPureRtc) {
            super(LOCAL);
            this.stack = stack;
            this.throughPureRtc = throughPureRtc;
        }

        @Override
        public void send(DatagramPacket packet) throws IOException {
            sent.incrementAndGet();
            try {
                Message request = Message.decode(packet.getData(), packet.getOffset(), packet.getLength());
                Response response = MessageFactory.createBindingResponse((Request) request,
                        new TransportAddress(LOCAL.getAddress(), LOCAL.getPort(), Transport.UDP));
                response.setTransactionID(request.getTransactionID());
                byte[] bytes = response.encode(stack);
                Message decoded = Ice4jStunDelivery.decode(bytes, REMOTE);
                if (throughPureRtc) {
                    Ice4jStunDelivery.deliver(stack, bytes, decoded, LOCAL, REMOTE);
                } else {
                    // What ice4j's own reader does: no stop afterwards.
                    stack.handleMessageEvent(new org.ice4j.StunMessageEvent(stack,
                            org.ice4j.stack.RawMessage.build(bytes, bytes.length,
                                    new TransportAddress(REMOTE.getAddress(), REMOTE.getPort(), Transport.UDP),
                                    new TransportAddress(LOCAL.getAddress(), LOCAL.getPort(), Transport.UDP)),
                            decoded));
                }
            } catch (Exception e) {
                throw new IOException(e);
            }
        }

        @Override
        public boolean isClosed() {
            return false;
        }
    }

    /** ice4j reads its settings through PureRTC's config source, installed with the first agent. */
    @org.junit.jupiter.api.BeforeAll
    static void installIce4jConfiguration() {
        IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, new AgentPair.Side()).close();
    }

    private static ScheduledThreadPoolExecutor retransmissionTimer() throws Exception {
        Field f = Class.forName("org.ice4j.stack.StunClientTransaction").getDeclaredField("retransmissionTimer");
        f.setAccessible(true);
        return (ScheduledThreadPoolExecutor) f.get(null);
    }

    /** Timer tasks left by one answered transaction, and how many responses its collector got. */
    private static int[] oneTransaction(boolean throughPureRtc) throws Exception {
        StunStack stack = new StunStack();
        try {
            AnswersInsideSend socket = new AnswersInsideSend(stack, throughPureRtc);
            ThreadlessStunConnector.register(stack, socket);
            AtomicInteger responses = new AtomicInteger();
            ResponseCollector collector = new ResponseCollector() {
                @Override
                public void processResponse(StunResponseEvent event) {
                    responses.incrementAndGet();
                }

                @Override
                public void processTimeout(StunTimeoutEvent event) {
                }
            };
            int before = retransmissionTimer().getQueue().size();
            stack.sendRequest(MessageFactory.createBindingRequest(),
                    new TransportAddress(REMOTE.getAddress(), REMOTE.getPort(), Transport.UDP),
                    new TransportAddress(LOCAL.getAddress(), LOCAL.getPort(), Transport.UDP), collector,
                    TransactionID.createNewTransactionID(), 10_000, 10_000, 6);
            int left = retransmissionTimer().getQueue().size() - before;
            assertEquals(1, socket.sent.get());
            return new int[] {left, responses.get()};
        } finally {
            stack.shutDown();
        }
    }

    @Test
    void ice4jAloneLeavesTheRetransmitterOfAnEarlyAnsweredTransactionRunning() throws Exception {
        int[] r = oneTransaction(false);
        assertEquals(1, r[1], "the response reached the collector");
        assertEquals(1, r[0], "ice4j scheduled a retransmission for an answered transaction (if 0, ice4j changed: "
                + "AnsweredTransactionRetransmitter may no longer be needed)");
    }

    @Test
    void aResponseDeliveredByPureRtcStopsTheRetransmitter() throws Exception {
        int[] r = oneTransaction(true);
        assertEquals(1, r[1], "the response reached the collector");
        assertEquals(0, r[0], "no retransmission left scheduled");
    }
}
