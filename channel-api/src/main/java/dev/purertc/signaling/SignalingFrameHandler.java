package dev.purertc.signaling;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a server connection: once the WebSocket handshake completed it creates the
 * {@link SignalingConnection}, swaps the handshake timeout for the idle timeout, and hands complete
 * (aggregated) messages through the connection's {@link InboundFlowControl} to the {@link UserRouter}.
 */
final class SignalingFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(SignalingFrameHandler.class);

    private final SignalingServer server;
    private SignalingConnection connection;
    private InboundFlowControl flow;

    SignalingFrameHandler(SignalingServer server) {
        this.server = server;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            SignalingServerOptions o = server.options();
            HttpAdmissionHandler.Admission admission = ctx.channel().attr(HttpAdmissionHandler.ADMISSION).get();
            connection = server.open(ctx.channel(), admission);
            SignalingConnection c = connection;
            flow = new InboundFlowControl(c, new InboundFlowControl.Sink() {
                @Override
                public void text(String text) {
                    c.frameArrivedNanos = System.nanoTime();
                    server.router().onText(c, text);
                }

                @Override
                public void binary() {
                    server.router().onBinary(c);
                }
            }, o.congestionStallTimeout().toMillis(), o.maxFrameBytes());
            c.flow(flow);
            if (ctx.pipeline().get(HandshakeTimeoutHandler.class) != null) {
                ctx.pipeline().remove(HandshakeTimeoutHandler.class);
            }
            ctx.pipeline().addFirst(new IdleTimeoutHandler(c, o.idleTimeout().toMillis(), o.pingInterval().toMillis()));
            server.router().onOpen(c);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (connection == null) {
            return;
        }
        SignalingConnection.READ_BATCH.get().begin();
        if (frame instanceof TextWebSocketFrame text) {
            flow.onMessage(text.text());
        } else if (frame instanceof BinaryWebSocketFrame) {
            flow.onMessage(InboundFlowControl.BINARY);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        SignalingConnection.READ_BATCH.get().end();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connection != null) {
            flow.close();
            server.closed(connection);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException && connection != null) {
            // A message fragmented past the limit (single frames past it are refused by the decoder, 1009).
            connection.closeWith(WebSocketCloseStatus.MESSAGE_TOO_BIG, "message exceeds the size limit");
        } else if (cause instanceof CorruptedWebSocketFrameException e) {
            // e.g. a single frame over maxFrameBytes (1009); the decoder discards all further input
            LOG.debug("protocol violation from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            if (connection != null) {
                connection.closeWith(e.closeStatus(), e.closeStatus().reasonText());
            } else {
                ctx.close();
            }
        } else {
            LOG.debug("signaling connection {} failed", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}
