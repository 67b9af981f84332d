// A chat bot: joins rooms of the vxnet chat over the event bus (vxnet.chat.<room>, docs/event-bus.md) and answers
//   !time                 -> the time (UTC, ISO-8601)
//   !resolve name [type]  -> the answers of vxnet.dns.resolve, or its error code and message
//   !probes               -> the latest result of each target of the Kotlin prober (heard on vxnet.probe.results)
//   !help                 -> the commands
// People in the room see `<bot> ...` like any other line. Counters reach /api/stats as "chatbot" through the Java
// helpers Counters and StatsReporter, which any JVM language can call.
import dev.vxnet.bus.Counters
import dev.vxnet.bus.ErrorReply
import dev.vxnet.bus.ServiceCall
import dev.vxnet.bus.StatsReporter
import dev.vxnet.config.Key
import dev.vxnet.config.Section
import dev.vxnet.config.StartupException
import groovy.transform.Field
import io.vertx.core.Future
import io.vertx.core.Promise
import io.vertx.core.json.JsonObject

import java.time.Instant
import org.slf4j.Logger
import org.slf4j.LoggerFactory

@Field static final Logger LOG = LoggerFactory.getLogger('vxnet.chatbot')
@Field static final String HELP = 'commands: !time, !resolve name [type], !probes, !help'

@Field static final Section<Map> CONFIG = Section.of('config', 'chat bot', { values -> [
    nick: values.text('nick'), rooms: values.list('rooms'), timeoutMs: values.integer('timeout_ms'),
    probeAddress: values.text('probe_address')] },
  Key.text('nick', 'bot', '[A-Za-z0-9_.-]{1,32}', 'The nick it speaks as.'),
  Key.list('rooms', ['lobby'], 'Rooms it joins (1-32 of a-z 0-9 _ -).'),
  Key.integer('timeout_ms', 5000, 10, 60000, 'How long !resolve waits for the resolver.'),
  Key.text('probe_address', 'vxnet.probe.results', '[a-z0-9_.-]{1,128}', 'Where the prober publishes its results.'))

@Field Map settings
@Field final Counters counters = new Counters('chatbot')
@Field final String from = 'chatbot-' + UUID.randomUUID()
@Field final Map<String, JsonObject> probes = new TreeMap<>()

void vertxStart(Promise<Void> started) {
  settings = CONFIG.read(vertx.getOrCreateContext().config())
  settings.rooms.each { room ->
    if (!(room ==~ /[a-z0-9_-]{1,32}/)) {
      throw new StartupException("config.rooms: \"${room}\" is not a room name (1-32 of a-z 0-9 _ -)")
    }
  }
  if (vertx.getOrCreateContext().instanceCount != 1) {
    // every instance hears every line of a room: two would answer each command twice
    throw new StartupException("instances: expected 1 (each instance answers every command), got ${vertx.getOrCreateContext().instanceCount}")
  }
  ['commands', 'answers', 'errors'].each { counters.counter(it) }
  List<Future<?>> joined = settings.rooms.collect { String room ->
    vertx.eventBus().<Object>consumer('vxnet.chat.' + room) { message -> heard(room, message.body()) }.completion()
  }
  joined << vertx.eventBus().<Object>consumer(settings.probeAddress) { message ->
    if (message.body() instanceof JsonObject && message.body().getValue('target') instanceof String) {
      probes[message.body().getString('target')] = message.body()
    }
  }.completion()
  Future.all(joined).compose { StatsReporter.register(vertx, counters) }.onSuccess {
    settings.rooms.each { room -> publish(room, new JsonObject().put('type', 'join').put('nick', settings.nick).put('from', from)) }
    LOG.info("chatbot: ${settings.nick} in ${settings.rooms.collect { '#' + it }.join(' ')}")
  }.mapEmpty().onComplete(started)
}

void vertxStop(Promise<Void> stopped) {
  settings.rooms.each { room -> publish(room, new JsonObject().put('type', 'leave').put('nick', settings.nick).put('from', from)) }
  stopped.complete()
}

/** One event of a room; anyone may publish there, so anything that is not a command line from someone else is skipped. */
void heard(String room, Object body) {
  if (!(body instanceof JsonObject) || body.getString('type') != 'message' || body.getString('from') == from
    || !(body.getValue('text') instanceof String) || !body.getString('text').startsWith('!')) {
    return
  }
  counters.counter('commands').increment()
  List<String> words = body.getString('text').trim().split(/\s+/) as List
  answer(words).onComplete { result ->
    String text = result.succeeded() ? result.result() : 'error: ' + result.cause().message
    publish(room, new JsonObject().put('type', 'message').put('nick', settings.nick).put('text', text).put('from', from))
    counters.counter('answers').increment()
  }
}

Future<String> answer(List<String> words) {
  switch (words[0].toLowerCase(Locale.ROOT)) {
    case '!time': return Future.succeededFuture('time: ' + Instant.now())
    case '!help': return Future.succeededFuture(HELP)
    case '!probes':
      if (probes.isEmpty()) {
        return Future.succeededFuture("probes: none heard on ${settings.probeAddress} yet (is the prober deployed?)".toString())
      }
      return Future.succeededFuture('probes: ' + probes.values().collect { JsonObject r ->
        r.getString('target') + ' ' + (r.getBoolean('ok', false) ? 'ok' : (r.getJsonObject('error')?.getString('code') ?: 'failed')) +
          ' ' + r.getValue('elapsed_ms') + ' ms'
      }.join('; '))
    case '!resolve':
      if (words.size() < 2 || words.size() > 3) {
        return Future.succeededFuture(failed('usage: !resolve name [type]'))
      }
      String type = words.size() == 3 ? words[2].toUpperCase(Locale.ROOT) : 'A'
      JsonObject question = new JsonObject().put('name', words[1]).put('type', type)
      return ServiceCall.request(vertx, 'vxnet.dns.resolve', question, settings.timeoutMs).map { reply ->
        if (ErrorReply.isError(reply)) {
          return failed("${words[1]} ${type}: ${ErrorReply.code(reply)} ${ErrorReply.message(reply)}")
        }
        List<String> data = reply.getJsonArray('answers').collect { ((JsonObject) it).getString('data') }
        "${words[1]} ${type}: ${reply.getString('rcode')}${data ? ' ' + data.join(' ') : ''}".toString()
      }
    default: return Future.succeededFuture(failed("unknown command ${words[0].take(32)} (${HELP})"))
  }
}

String failed(String text) {
  counters.counter('errors').increment()
  return text.replaceAll('[\r\n]+', ' ')
}

void publish(String room, JsonObject event) {
  vertx.eventBus().publish('vxnet.chat.' + room, event)
}
