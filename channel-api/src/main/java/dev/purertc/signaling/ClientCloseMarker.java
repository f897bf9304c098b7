package dev.purertc.signaling;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.AttributeKey;

/**
 * Notes on the channel that its client sent a WebSocket close frame: it left on purpose (a Java client's
 * {@code close()}, a browser tab closing with 1001), as opposed to a connection that was cut (a network
 * change, a proxy's idle timeout) and whose client will try to come back. Messages are held for a
 * reserved id only in the second case ({@link HeldMessages}). Sits before Netty's WebSocket protocol
 * handler, which answers the close frame and does not pass it on.
 */
@ChannelHandler.Sharable
final class ClientCloseMarker extends ChannelInboundHandlerAdapter {
    static final ClientCloseMarker INSTANCE = new ClientCloseMarker();
    static final AttributeKey<Boolean> CLOSED_BY_CLIENT = AttributeKey.valueOf(ClientCloseMarker.class, "closedByClient");

    private ClientCloseMarker() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof CloseWebSocketFrame) {
            ctx.channel().attr(CLOSED_BY_CLIENT).set(Boolean.TRUE);
        }
        ctx.fireChannelRead(msg);
    }
}
