package dev.vxnet.chat;

import dev.vxnet.bus.Addresses;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One message on {@code vxnet.chat.<room>} (schema in docs/event-bus.md): {@code message}, {@code join},
 * {@code leave}, {@code nick} or {@code who}. Anyone may publish there (the bridges allow it), so every
 * field is checked before a line reaches a client.
 */
record ChatEvent(String type, String nick, String text, String from, String replyTo) {

  static final Pattern NICK = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
  static final Pattern ROOM = Pattern.compile(Addresses.CHAT_ROOM_NAME);
  static final int MAX_TEXT_CHARS = 65_536;
  static final String WHO_REPLY_PREFIX = Addresses.CHAT_WHO_REPLY_PREFIX;
  private static final Set<String> TYPES = Set.of("message", "join", "leave", "nick", "who");

  static ChatEvent message(String nick, String text, String from) {
    return new ChatEvent("message", nick, text, from, null);
  }

  static ChatEvent notice(String type, String nick, String text, String from) {
    return new ChatEvent(type, nick, text, from, null);
  }

  static ChatEvent who(String replyTo, String from) {
    return new ChatEvent("who", null, null, from, replyTo);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type);
    if (nick != null) json.put("nick", nick);
    if (text != null) json.put("text", text);
    if (from != null) json.put("from", from);
    if (replyTo != null) json.put("replyTo", replyTo);
    return json;
  }

  /** Parses a bus message; throws {@link IllegalArgumentException} naming the bad field. */
  static ChatEvent parse(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new IllegalArgumentException("body: expected a JSON object");
    }
    String type = string(json, "type");
    if (type == null || !TYPES.contains(type)) {
      throw new IllegalArgumentException("type: expected one of " + TYPES);
    }
    String nick = string(json, "nick");
    String text = string(json, "text");
    String replyTo = string(json, "replyTo");
    if (type.equals("who")) {
      if (replyTo == null || !replyTo.startsWith(WHO_REPLY_PREFIX)) {
        throw new IllegalArgumentException("replyTo: a who request needs an address starting with " + WHO_REPLY_PREFIX);
      }
    } else if (nick == null || !NICK.matcher(nick).matches()) {
      throw new IllegalArgumentException("nick: expected 1-32 of A-Z a-z 0-9 _ . -");
    }
    if ((type.equals("message") || type.equals("nick")) && (text == null || text.isEmpty())) {
      throw new IllegalArgumentException("text: required for " + type);
    }
    if (text != null && (text.length() > MAX_TEXT_CHARS || text.indexOf('\n') >= 0)) {
      throw new IllegalArgumentException("text: expected one line of at most " + MAX_TEXT_CHARS + " characters");
    }
    if (text != null) {
      controlCharacter(text).ifPresent(problem -> {
        throw new IllegalArgumentException("text: " + problem);
      });
    }
    return new ChatEvent(type, nick, text, string(json, "from"), replyTo);
  }

  /**
   * The first control character in {@code text} that must not reach a terminal raw, described with its position, or
   * empty. C0 controls (U+0000-U+001F, CR and ESC among them), DEL and C1 controls (U+0080-U+009F) are refused: a
   * terminal would act on them (a CR returns to the line start and lets a message forge another sender's line, ESC
   * starts escape sequences). TAB is the one control a chat line may hold.
   */
  static java.util.Optional<String> controlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f)) {
        return java.util.Optional.of(String.format("control character U+%04X at %d (only TAB may appear in a line)", (int) c, i));
      }
    }
    return java.util.Optional.empty();
  }

  private static String string(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException(field + ": expected a string");
    }
    return (String) value;
  }

  /** The line a client sees; {@code nick} events carry the new nick in {@code text}. */
  String render(String room) {
    return switch (type) {
      case "message" -> "<" + nick + "> " + text;
      case "join" -> "* " + nick + " joined #" + room;
      case "leave" -> "* " + nick + " left #" + room;
      case "nick" -> "* " + nick + " is now known as " + text;
      default -> "";
    };
  }
}
