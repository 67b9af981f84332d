# A vxnet node: the fat jar, conf/ and verticles/ on a Java 17 runtime. Build the jar first (`mvn -B package -DskipTests`).
#
#   docker build -t vxnet .                                        # on eclipse-temurin:17-jre from a registry
#   docker build --build-arg BASE_IMAGE=vxnet/jre:17 -t vxnet .    # on the jlink-ed JRE that
#                                                                  # docker/build-base-images.sh builds locally
#   docker run --rm -p 8888:8888 vxnet                             # every service on its default port
#
# Roles and settings come from VXNET_* variables (VXNET_CHAT_ENABLED=false, VXNET_CLUSTER_ENABLED=true, ...) or
# arguments after the image name (-conf '{...}', -instances 4); docs/scaling.md. The vxnet/jre base has no shell:
# nothing here may need one (exec-form ENTRYPOINT; JVM options through JAVA_TOOL_OPTIONS).
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
WORKDIR /app
COPY target/vxnet.jar /app/vxnet.jar
COPY conf/ /app/conf/
# Groovy verticles of conf/polyglot.json (docs/polyglot.md): scripts are compiled when a node starts.
COPY verticles/ /app/verticles/
# Any unprivileged id works (no passwd entry needed); vxnet/jre names it `vxnet`. Netty unpacks its natives to /tmp.
USER 10001:10001
# TCP echo, chat, HTTPS, HTTP, event-bus bridge, UDP echo, Hazelcast (the event-bus port is cluster.port).
EXPOSE 8888 8000 8443 8080 7000 9999/udp 5701
ENTRYPOINT ["java", "-jar", "/app/vxnet.jar"]
