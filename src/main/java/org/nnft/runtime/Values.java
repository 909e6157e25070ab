package org.nnft.runtime;

import java.util.List;
import java.util.Map;

/** The small value kinds. */
public final class Values {
  private Values() {}

  public record Str(String value) implements Value {
    @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.STRING); }
    @Override public String kind() { return "a string"; }
  }

  public record Bool(boolean value) implements Value {
    @Override public String kind() { return "a boolean"; }
  }

  /** A list of values that are not all numbers of one shape (nets, ensembles, strings...). */
  public record ListV(List<Value> items) implements Value {
    @Override public String kind() { return "a list of " + items.size(); }
  }

  /** A result with named parts, reachable as r.name. */
  public record Record(String type, Map<String, Value> fields) implements Value {
    @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.RECORD); }
    @Override public String kind() { return "a " + type; }
  }

  /** A value that the planning pass cannot know yet. */
  public enum Unknown implements Value {
    INSTANCE;
    @Override public String kind() { return "a value not known yet"; }
  }
}
