#!/usr/bin/env bash
# Makes .gpu/ for tools/gpu-bench.sh: a jlink'd Java 17 runtime (the modules ModelBenchMain's path loads) and the
# jars it runs on, from a built target/quarkus-app (./mvnw package -DskipTests first). About 50 MiB; .gpu/ is
# meant to be ignored by git (.git/info/exclude) and carried to the GPU machine.
set -eu
cd "$(dirname "$0")/.."
L=target/quarkus-app/lib/main
[ -d "$L" ] || { echo "gpu-bundle: $L not found; build with ./mvnw package -DskipTests" >&2; exit 3; }
rm -rf .gpu
mkdir -p .gpu/lib
for j in ai.djl.api ai.djl.pytorch.pytorch-engine ai.djl.pytorch.pytorch-jni com.google.code.gson.gson \
    info.picocli.picocli org.slf4j.slf4j-api com.fasterxml.jackson.core.jackson-annotations \
    com.fasterxml.jackson.core.jackson-core com.fasterxml.jackson.core.jackson-databind net.java.dev.jna.jna \
    org.apache.commons.commons-compress; do
  cp "$L/$j"-[0-9]*.jar .gpu/lib/
done
(cd target/classes && jar --create --file ../../.gpu/lib/sift-classes.jar .)
jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,java.xml,jdk.zipfs --compress=2 \
    --strip-debug --no-header-files --no-man-pages --output .gpu/jre
du -sh .gpu
