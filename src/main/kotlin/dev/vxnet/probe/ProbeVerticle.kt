package dev.vxnet.probe

import dev.vxnet.bus.Addresses
import dev.vxnet.bus.Counters
import dev.vxnet.bus.ErrorCode
import dev.vxnet.bus.ErrorReply
import dev.vxnet.bus.Node
import dev.vxnet.bus.ServiceCall
import dev.vxnet.bus.StatsReporter
import dev.vxnet.config.Describe
import dev.vxnet.config.Key
import dev.vxnet.config.Section
import dev.vxnet.config.Values
import io.vertx.core.json.JsonObject
import io.vertx.core.net.NetClient
import io.vertx.core.net.NetClientOptions
import io.vertx.kotlin.coroutines.CoroutineVerticle
import io.vertx.kotlin.coroutines.coAwait
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import java.time.Instant
import org.slf4j.Logger
import org.slf4j.LoggerFactory

/**
 * A prober written with Kotlin coroutines: every `interval_ms` it checks each configured target at once (a TCP
 * connect, a DNS question through `vxnet.dns.resolve`, a URL through `vxnet.fetch`), publishes one result per target
 * on `address`, and counts `rounds`, `probes`, `ok` and `failed` in /api/stats (as `probe`). Deployed from the
 * `verticles` section by its class name, `dev.vxnet.probe.ProbeVerticle` (docs/polyglot.md).
 *
 * A result: `{"target", "kind": "tcp"|"dns"|"url", "ok", "elapsed_ms", "node", "at"}` plus `rcode` and `answers`
 * (dns), `status` (url), or `error: {"code", "message"}` in the error shape of docs/event-bus.md.
 */
class ProbeVerticle : CoroutineVerticle() {

  /** The verticle's config, checked with vxnet's keys, so a bad value reads like any other: `config.interval_ms: ...`. */
  data class Settings(val targets: List<ProbeTarget>, val intervalMs: Int, val timeoutMs: Int, val address: String)

  private lateinit var settings: Settings
  private lateinit var client: NetClient
  private val counters = Counters(SERVICE)

  override suspend fun start() {
    settings = CONFIG.read(config)
    listOf("rounds", "probes", "ok", "failed").forEach { counters.counter(it) }
    client = vertx.createNetClient(NetClientOptions().setConnectTimeout(settings.timeoutMs))
    StatsReporter.register(vertx, counters).coAwait()
    LOG.info("probe: {} targets every {} ms, results on {}", settings.targets.size, settings.intervalMs, settings.address)
    launch { // cancelled with the verticle's scope when it is undeployed
      while (isActive) {
        round()
        delay(settings.intervalMs.toLong())
      }
    }
  }

  override suspend fun stop() {
    client.close().coAwait()
  }

  /** One round: every target probed concurrently, each result published as soon as it is known. */
  private suspend fun round() {
    settings.targets.map { target ->
      async {
        val result = probe(target)
        counters.counter("probes").increment()
        counters.counter(if (result.getBoolean("ok")) "ok" else "failed").increment()
        vertx.eventBus().publish(settings.address, result)
      }
    }.awaitAll()
    counters.counter("rounds").increment()
  }

  private suspend fun probe(target: ProbeTarget): JsonObject {
    val started = System.nanoTime()
    val result = JsonObject().put("target", target.text).put("kind", target.kind)
    val outcome: JsonObject = when (target) {
      is ProbeTarget.Tcp -> try {
        client.connect(target.port, target.host).coAwait().close()
        JsonObject()
      } catch (e: Exception) {
        ErrorReply.of(ErrorCode.CONNECT, "${target.host}:${target.port}: ${Describe.failure(e)}")
      }
      is ProbeTarget.Dns -> {
        val reply = call(Addresses.DNS_RESOLVE, JsonObject().put("name", target.name).put("type", target.type))
        if (ErrorReply.isError(reply)) reply else JsonObject().put("rcode", reply.getString("rcode"))
          .put("answers", reply.getJsonArray("answers").map { (it as JsonObject).getString("data") })
      }
      is ProbeTarget.Url -> {
        val reply = call(Addresses.FETCH, JsonObject().put("url", target.text)
          .put("timeout_ms", settings.timeoutMs))
        if (ErrorReply.isError(reply)) reply else JsonObject().put("status", reply.getInteger("status"))
      }
    }
    result.mergeIn(outcome)
    val ok = !ErrorReply.isError(outcome) && when (target) {
      is ProbeTarget.Dns -> outcome.getString("rcode") == "NOERROR"
      is ProbeTarget.Url -> outcome.getInteger("status") < 400
      is ProbeTarget.Tcp -> true
    }
    return result.put("ok", ok).put("elapsed_ms", (System.nanoTime() - started) / 1_000_000)
      .put("node", Node.name(vertx)).put("at", Instant.now().toString())
  }

  /** A service call that waits a little longer than the probe's own deadline, so that the service's TIMEOUT comes first. */
  private suspend fun call(address: String, body: JsonObject): JsonObject =
    ServiceCall.request(vertx, address, body, settings.timeoutMs + 1_000L).coAwait()

  companion object {
    const val SERVICE = "probe"
    private val LOG: Logger = LoggerFactory.getLogger(ProbeVerticle::class.java)

    @JvmField
    val CONFIG: Section<Settings> = Section.of("config", "prober", ::parse,
      Key.list("targets", null, "Required: what to probe, each ${ProbeTarget.EXPECTED}."),
      Key.integer("interval_ms", 10_000, 100, 3_600_000, "Time between the end of one round and the start of the next."),
      Key.integer("timeout_ms", 2_000, 10, 60_000, "Deadline of each probe."),
      Key.text("address", "vxnet.probe.results", "[a-z0-9_.-]{1,128}", "Where each result is published."))

    private fun parse(values: Values): Settings {
      val given = values.list("targets")
      if (given == null || given.isEmpty()) {
        values.problem("targets", "required: at least one of ${ProbeTarget.EXPECTED}")
      }
      val targets = given.orEmpty().mapIndexedNotNull { i, text ->
        try {
          ProbeTarget.parse(text)
        } catch (e: IllegalArgumentException) {
          values.problem("targets[$i]", e.message ?: "invalid")
          null
        }
      }
      return Settings(targets, values.integer("interval_ms"), values.integer("timeout_ms"), values.text("address"))
    }
  }
}
