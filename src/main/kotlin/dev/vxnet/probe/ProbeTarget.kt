package dev.vxnet.probe

import java.net.URI

/**
 * What the prober checks, written as one string in its `targets` config:
 * `tcp://host:port` (a TCP connect), `dns:name` or `dns:name/TYPE` (a question to `vxnet.dns.resolve`), or an
 * `http://` / `https://` URL (a GET through `vxnet.fetch`, with its SSRF guard).
 */
sealed class ProbeTarget(val text: String) {
  class Tcp(text: String, val host: String, val port: Int) : ProbeTarget(text)
  class Dns(text: String, val name: String, val type: String) : ProbeTarget(text)
  class Url(text: String) : ProbeTarget(text)

  val kind: String
    get() = when (this) {
      is Tcp -> "tcp"
      is Dns -> "dns"
      is Url -> "url"
    }

  companion object {
    const val EXPECTED = "tcp://host:port, dns:name[/TYPE], or an http:// or https:// URL"

    /** The target `text` stands for; [IllegalArgumentException] saying what was expected when it is none. */
    @JvmStatic
    fun parse(text: String): ProbeTarget {
      val lower = text.lowercase()
      return when {
        lower.startsWith("tcp://") -> tcp(text)
        lower.startsWith("dns:") -> dns(text)
        lower.startsWith("http://") || lower.startsWith("https://") -> url(text)
        else -> throw IllegalArgumentException("\"$text\": expected $EXPECTED")
      }
    }

    private fun tcp(text: String): Tcp {
      val uri = runCatching { URI(text) }.getOrNull()
      if (uri == null || uri.host == null || uri.port !in 1..65535 || !(uri.path.isNullOrEmpty())) {
        throw IllegalArgumentException("\"$text\": expected tcp://host:port with a port from 1 to 65535")
      }
      return Tcp(text, uri.host.removePrefix("[").removeSuffix("]"), uri.port)
    }

    private fun dns(text: String): Dns {
      val rest = text.substring("dns:".length)
      val name = rest.substringBefore('/')
      val type = if ('/' in rest) rest.substringAfter('/').uppercase() else "A"
      if (name.isEmpty() || name.length > 253 || type.isEmpty()) {
        throw IllegalArgumentException("\"$text\": expected dns:name or dns:name/TYPE")
      }
      return Dns(text, name, type) // the resolver checks the name and type, and says what is wrong with them
    }

    private fun url(text: String): Url {
      val uri = runCatching { URI(text) }.getOrNull()
      if (uri?.host == null) {
        throw IllegalArgumentException("\"$text\": expected an absolute http:// or https:// URL")
      }
      return Url(text)
    }
  }
}
