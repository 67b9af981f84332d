package dev.vxnet.https;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The server's one private key and certificate chain as a key manager, held as they are. Vert.x's key options keep
 * them in a PKCS#12 key store protected by a password (PBKDF2 with 10,000 rounds of HMAC-SHA256 at every store and
 * every read), and rebuild that store for each check and each server instance: measured as the largest single cost
 * of vxnet's start (docs/profiles.md). This manager is built once per node from the key read once ({@link TlsMaterial}).
 * Serves the key for any server key type asked; a client never asks it (servers only).
 */
final class ServerKeyManager extends X509ExtendedKeyManager {

  private static final String ALIAS = "vxnet";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  ServerKeyManager(PrivateKey key, X509Certificate[] chain) {
    this.key = key;
    this.chain = chain.clone();
  }

  /** The alias when the handshake can use this key ({@code keyType} as JSSE names it: RSA, EC, EdDSA...). */
  private String aliasFor(String keyType) {
    return keyType == null || keyType.equals(key.getAlgorithm())
      || (keyType.startsWith("EC") && key.getAlgorithm().equals("EC"))
      || (keyType.equals("RSASSA-PSS") && key.getAlgorithm().equals("RSA")) ? ALIAS : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return aliasFor(keyType) == null ? null : new String[] {ALIAS};
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
