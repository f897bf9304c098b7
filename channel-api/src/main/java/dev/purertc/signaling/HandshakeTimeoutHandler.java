package dev.purertc.signaling;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every accepted socket: closes it unless the WebSocket opening handshake (RFC 6455
 * §4) completes within the handshake timeout. Counting from accept covers what Netty's own handshake
 * timeout does not (that one starts only once a complete upgrade request has arrived): a TCP connection
 * that sends nothing, and one that trickles a request that never ends. Removed from the pipeline by
 * {@link SignalingFrameHandler} once the handshake completed; a plain HTTP request is answered and closed
 * well before it fires. Runs on the channel's event loop.
 */
final class HandshakeTimeoutHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeTimeoutHandler.class);

    private final long timeoutMillis;
    private ScheduledFuture<?> timer;

    HandshakeTimeoutHandler(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            LOG.debug("{}: no WebSocket handshake within {} ms, closing", ctx.channel().remoteAddress(), timeoutMillis);
            ctx.close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false);
        }
        super.channelInactive(ctx);
    }
}
