// A line protocol on a TCP port of its own, answered through the vxnet services on the event bus
// (docs/polyglot.md). One request per line, one answer line per request, in order:
//   PING                  -> PONG
//   TIME                  -> TIME 2026-12-01T10:00:00.123Z
//   RESOLVE name [type]   -> OK NOERROR 192.0.2.10 2001:db8::10     (vxnet.dns.resolve)
//   FETCH url             -> OK 200 1256 text/html                 (vxnet.fetch, through its SSRF guard)
//   HELP, QUIT            -> the commands; BYE and the connection closes
// Anything wrong is one line `ERR CODE message` with the codes of docs/event-bus.md (BAD_REQUEST, DENIED,
// UNAVAILABLE, TIMEOUT, ...). Counters reach /api/stats as "lines" through vxnet.stats.node, the event-bus
// protocol any language can answer (docs/event-bus.md).
import dev.vxnet.bus.ErrorCode
import dev.vxnet.bus.ErrorReply
import dev.vxnet.bus.ServiceCall
import dev.vxnet.config.Key
import dev.vxnet.config.Section
import dev.vxnet.net.Listening
import groovy.transform.Field
import io.vertx.core.Future
import io.vertx.core.Promise
import io.vertx.core.json.JsonObject
import io.vertx.core.net.NetServer
import io.vertx.core.net.NetSocket
import io.vertx.core.parsetools.RecordParser

import java.nio.charset.StandardCharsets
import java.time.Instant
import java.util.concurrent.TimeUnit

@Field static final String SERVICE = 'lines'
@Field static final String COMMANDS = 'PING, TIME, RESOLVE name [type], FETCH url, HELP, QUIT'

// The verticle's own config, checked with the same keys and messages as vxnet's sections ("config.port: ...").
@Field static final Section<Map> CONFIG = Section.of('config', 'line server', { values -> [
    host: values.text('host'), port: values.integer('port'), maxLineBytes: values.integer('max_line_bytes'),
    timeoutMs: values.integer('timeout_ms'), idleTimeoutMs: values.integer('idle_timeout_ms')] },
  Key.text('host', '127.0.0.1', '[A-Za-z0-9._:-]{1,253}', 'Address to bind.'),
  Key.integer('port', 7070, 0, 65535, 'Port to bind (0 picks a free one).'),
  Key.integer('max_line_bytes', 1024, 16, 65536, 'Longer lines are refused and the connection closed.'),
  Key.integer('timeout_ms', 5000, 10, 60000, 'How long RESOLVE and FETCH wait for the service.'),
  Key.integer('idle_timeout_ms', 300000, 0, Integer.MAX_VALUE, 'Close a silent connection after this long; 0 = never.'))

@Field Map settings
@Field NetServer server
@Field final Map<String, Long> counters = [connections: 0L, lines: 0L, errors: 0L, resolves: 0L, fetches: 0L]
@Field final String instance = SERVICE + '#' + UUID.randomUUID().toString().substring(0, 8)

// Vert.x's Groovy factory calls vertxStart(Promise) after running the script's body, and vertxStop(Promise) on undeploy.
void vertxStart(Promise<Void> started) {
  settings = CONFIG.read(vertx.getOrCreateContext().config()) // a bad key fails the deployment with its message
  server = vertx.createNetServer(Listening.serverOptions(settings.host, settings.port, true, settings.idleTimeoutMs))
  server.connectHandler(this.&serve)
  answerStats().compose { Listening.listen(vertx, SERVICE, server, settings.host, settings.port) }.mapEmpty().onComplete(started)
}

void vertxStop(Promise<Void> stopped) {
  server.close().onComplete(stopped)
}

/** vxnet.stats.node: each node relays every collection to its verticles; answer to replyTo, naming node and instance. */
Future<?> answerStats() {
  return vertx.eventBus().<JsonObject>localConsumer('vxnet.stats.node') { message ->
    vertx.eventBus().send(message.body().getString('replyTo'), new JsonObject()
      .put('node', message.body().getString('node')).put('service', SERVICE).put('instance', instance)
      .put('counters', new JsonObject(counters)))
  }.completion()
}

void serve(NetSocket socket) {
  counters.connections++
  RecordParser lines = RecordParser.newDelimited('\n', socket).maxRecordSize(settings.maxLineBytes)
  // A line over max_line_bytes: one ERR line, then the connection closes (the rest of it is not a request). The
  // parser fails on such a line while no newline has come yet; a whole one that came at once is checked here.
  Closure tooLong = {
    reply(socket, error(ErrorCode.BAD_REQUEST, "line longer than ${settings.maxLineBytes} bytes"))
    lines.pause()
    socket.close()
  }
  lines.exceptionHandler { failure -> tooLong() }
  lines.handler { buffer ->
    if (buffer.length() > settings.maxLineBytes) {
      tooLong()
      return
    }
    String line = buffer.toString(StandardCharsets.UTF_8).replaceAll('\r$', '').trim()
    if (line.isEmpty()) {
      return
    }
    counters.lines++
    lines.pause() // one request at a time per connection: answers stay in order, and a client cannot pile up work
    answer(line, socket).onComplete { result ->
      reply(socket, result.succeeded() ? result.result() : error(ErrorCode.INTERNAL, String.valueOf(result.cause().message)))
      lines.resume()
    }
  }
}

/** The answer line to one request line. */
Future<String> answer(String line, NetSocket socket) {
  List<String> words = line.split(/\s+/) as List
  String command = words[0].toUpperCase(Locale.ROOT)
  switch (command) {
    case 'PING': return Future.succeededFuture(words.size() == 1 ? 'PONG' : error(ErrorCode.BAD_REQUEST, 'PING takes no argument'))
    case 'TIME': return Future.succeededFuture(words.size() == 1 ? 'TIME ' + Instant.now() : error(ErrorCode.BAD_REQUEST, 'TIME takes no argument'))
    case 'HELP': return Future.succeededFuture('COMMANDS ' + COMMANDS)
    case 'QUIT':
      vertx.setTimer(1) { socket.close() } // after BYE is written
      return Future.succeededFuture('BYE')
    case 'RESOLVE':
      if (words.size() < 2 || words.size() > 3) {
        return Future.succeededFuture(error(ErrorCode.BAD_REQUEST, 'expected RESOLVE name [type]'))
      }
      counters.resolves++
      JsonObject question = new JsonObject().put('name', words[1]).put('type', words.size() == 3 ? words[2] : 'A')
      return ServiceCall.request(vertx, 'vxnet.dns.resolve', question, settings.timeoutMs).map { reply ->
        ErrorReply.isError(reply) ? error(reply) : 'OK ' + reply.getString('rcode') +
          reply.getJsonArray('answers').collect { ' ' + ((JsonObject) it).getString('data') }.join('')
      }
    case 'FETCH':
      if (words.size() != 2) {
        return Future.succeededFuture(error(ErrorCode.BAD_REQUEST, 'expected FETCH url'))
      }
      counters.fetches++
      JsonObject request = new JsonObject().put('url', words[1]).put('timeout_ms', settings.timeoutMs)
      // the caller's wait: a little longer than the fetch's own deadline, so that the fetcher's TIMEOUT comes first
      return ServiceCall.request(vertx, 'vxnet.fetch', request, settings.timeoutMs + 1000).map { reply ->
        ErrorReply.isError(reply) ? error(reply) : 'OK ' + reply.getInteger('status') + ' ' + reply.getInteger('bytes') + ' ' +
          reply.getJsonObject('headers').getString('content-type', '-').split(';')[0]
      }
    default:
      return Future.succeededFuture(error(ErrorCode.BAD_REQUEST, "unknown command ${words[0].take(32)} (commands: ${COMMANDS})"))
  }
}

String error(ErrorCode code, String message) {
  return error(ErrorReply.of(code, message))
}

/** An error reply of the event bus as one line: ERR CODE message. */
String error(JsonObject reply) {
  counters.errors++
  return 'ERR ' + ErrorReply.code(reply) + ' ' + ErrorReply.message(reply).replaceAll('[\r\n]+', ' ')
}

void reply(NetSocket socket, String line) {
  socket.write(line + '\n')
}
