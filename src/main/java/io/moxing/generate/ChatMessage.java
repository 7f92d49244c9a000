package io.moxing.generate;

/** One turn of a chat. */
public record ChatMessage(ChatRole role, String content) {
    public ChatMessage {
        if (role == null) throw new IllegalArgumentException("a chat message needs a role");
        content = content == null ? "" : content;
    }
}
