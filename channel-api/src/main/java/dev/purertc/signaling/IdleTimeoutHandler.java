package dev.purertc.signaling;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Keeps a WebSocket connection honest about being alive: when nothing has arrived for the ping interval
 * the server sends a Ping, which every WebSocket endpoint must answer with a Pong (RFC 6455 §5.5.2,
 * §5.5.3); when nothing at all has arrived for the idle timeout the connection is closed (1001, going
 * away). Any inbound byte counts, so a connection that sends messages needs no pongs.
 *
 * <p>While the server itself stops reading the connection ({@link InboundFlowControl}), silence is the
 * server's doing: waiting for a congested target counts as alive, and waiting for the connection's own
 * replies to drain counts as alive only while the peer keeps taking them. A client that neither reads nor
 * sends is closed after the idle timeout with 1008 ("does not read"), the only way a client that sent a
 * burst can lose its connection.
 *
 * <p>Added first in the pipeline once the handshake completed, so it sees raw inbound bytes (Netty's
 * WebSocket handler swallows Pong frames). Runs on the channel's event loop.
 */
final class IdleTimeoutHandler extends ChannelInboundHandlerAdapter {

    private final SignalingConnection connection;
    private final long idleNanos;
    private final long pingNanos;
    private long lastRead;
    private long lastPing;
    private ScheduledFuture<?> tick;

    IdleTimeoutHandler(SignalingConnection connection, long idleMillis, long pingMillis) {
        this.connection = connection;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        this.pingNanos = TimeUnit.MILLISECONDS.toNanos(pingMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastRead = System.nanoTime();
        lastPing = lastRead;
        // A quarter of the shorter interval: a dead peer is closed at most 25 % after the idle timeout.
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(idleNanos, pingNanos) / 4);
        tick = ctx.executor().scheduleAtFixedRate(() -> check(ctx), period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    private void cancel() {
        if (tick != null) {
            tick.cancel(false);
        }
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            cancel();
            return;
        }
        long now = System.nanoTime();
        InboundFlowControl flow = connection.flow();
        if (flow != null) {
            flow.recheck();
        }
        long alive = lastRead;
        boolean ownOutbound = flow != null && flow.pausedForOwnOutbound();
        if (flow != null && flow.waitingForTarget()) {
            alive = now;
        } else if (ownOutbound) {
            alive = Math.max(alive, Math.max(flow.pausedSince(), connection.lastProgressNanos()));
        }
        if (now - alive >= idleNanos) {
            cancel();
            if (ownOutbound) {
                connection.closeWith(WebSocketCloseStatus.POLICY_VIOLATION, "does not read");
            } else {
                connection.closeWith(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "idle timeout");
            }
        } else if (now - lastRead >= pingNanos && now - lastPing >= pingNanos) {
            lastPing = now;
            ctx.channel().writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
        }
    }
}
