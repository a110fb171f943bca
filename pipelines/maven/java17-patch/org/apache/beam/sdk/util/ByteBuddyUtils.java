/*
 * phonepipe: a drop-in replacement for Beam 2.49.0's org.apache.beam.sdk.util.ByteBuddyUtils, put first on the
 * Flink job server's classpath. Beam 2.49.0 prefers ByteBuddy's Lookup-based class loading whenever it is
 * available (Java 9+), and its schema code generation then defines classes outside the lookup class's package:
 * "org.apache.beam.sdk.io.kafka.Function$SchemaCodeGen$... must be defined in the same package as
 * ...guava...Function". That breaks KafkaIO's with-metadata read on Java 17. With
 * --add-opens=java.base/java.lang=ALL-UNNAMED the reflection-based injection that Java 8 used works, so try it
 * first, and fall back to Beam's own choice. (Beam fixed this later upstream with a package-injecting strategy.)
 */
package org.apache.beam.sdk.util;

import java.lang.invoke.MethodHandles;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

public final class ByteBuddyUtils {
  private ByteBuddyUtils() {}

  public static ClassLoadingStrategy<ClassLoader> getClassLoadingStrategy(Class<?> targetClass) {
    if (ClassInjector.UsingReflection.isAvailable()) {
      return ClassLoadingStrategy.Default.INJECTION;
    }
    try {
      return ClassLoadingStrategy.UsingLookup.of(
          MethodHandles.privateLookupIn(targetClass, MethodHandles.lookup()));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("no class loading strategy for " + targetClass, e);
    }
  }
}
