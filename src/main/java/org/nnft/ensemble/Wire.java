package org.nnft.ensemble;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * The binary form in which passes travel to other machines and reductions come back: the magic
 * "NNFT", a format version, a kind tag, then the object's Java serialization. Decoding refuses
 * another format version and any class outside nnft's lowered types (the net's tape, densities,
 * statistics, reductions), the JDK's own value classes and arrays: the bytes name nothing of the
 * parser, the runtime or Symja, and a corrupt or foreign blob is an error, never a class loaded.
 * Bump {@link #VERSION} whenever a type that travels changes its fields.
 */
public final class Wire {
  private Wire() {}

  public static final int MAGIC = 0x4e4e4654; // "NNFT"
  public static final int VERSION = 1;

  /** What the bytes hold. */
  public enum Kind { PASS, REDUCTION, CHUNK_JOB, TASK, RESULT }

  public static byte[] encode(Kind kind, Serializable o) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream d = new DataOutputStream(b)) {
      d.writeInt(MAGIC);
      d.writeInt(VERSION);
      d.writeByte(kind.ordinal());
      try (ObjectOutputStream out = new ObjectOutputStream(d)) { out.writeObject(o); }
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a " + kind + ": " + e.getMessage(), e);
    }
    return b.toByteArray();
  }

  public static <T> T decode(Kind kind, Class<T> type, byte[] bytes) {
    try (DataInputStream d = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (d.readInt() != MAGIC) throw new IllegalArgumentException("not nnft wire bytes");
      int v = d.readInt();
      if (v != VERSION) throw new IllegalArgumentException("wire format " + v + ", this nnft reads " + VERSION + " (driver and executors run different nnft versions)");
      int k = d.readByte();
      if (k != kind.ordinal()) throw new IllegalArgumentException("expected a " + kind + " on the wire");
      String[] refused = {null};
      try (ObjectInputStream in = new ObjectInputStream(d)) {
        in.setObjectInputFilter(info -> {
          ObjectInputFilter.Status st = allowed(info);
          if (st == ObjectInputFilter.Status.REJECTED && refused[0] == null) refused[0] = info.serialClass() == null ? "too deep or too large" : info.serialClass().getName();
          return st;
        });
        return type.cast(in.readObject());
      } catch (InvalidClassException e) {
        throw new IllegalArgumentException("the wire holds a class nnft does not ship (" + refused[0] + ")", e);
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException("cannot decode a " + kind + ": " + e.getMessage(), e);
    }
  }

  private static ObjectInputFilter.Status allowed(ObjectInputFilter.FilterInfo info) {
    if (info.depth() > 200 || info.references() > 10_000_000) return ObjectInputFilter.Status.REJECTED;
    Class<?> c = info.serialClass();
    if (c == null) return ObjectInputFilter.Status.UNDECIDED;
    while (c.isArray()) c = c.getComponentType();
    if (c.isPrimitive()) return ObjectInputFilter.Status.ALLOWED;
    String n = c.getName();
    boolean ok = n.startsWith("org.nnft.ensemble.") || n.startsWith("org.nnft.model.Density") || n.startsWith("org.nnft.model.CompiledNet") || n.startsWith("org.nnft.numeric.")
        || n.startsWith("org.nnft.mcmc.") || n.startsWith("java.lang.") && !n.startsWith("java.lang.reflect") && !n.startsWith("java.lang.invoke")
        || n.equals("java.util.ArrayList") || n.equals("java.util.IdentityHashMap") || n.startsWith("java.util.ImmutableCollections") || n.startsWith("java.util.CollSer")
        || n.equals("java.util.Collections$UnmodifiableList") || n.equals("java.util.Collections$UnmodifiableRandomAccessList")
        || n.equals("java.util.Collections$UnmodifiableCollection") || n.equals("java.util.Arrays$ArrayList");
    return ok ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
  }
}
