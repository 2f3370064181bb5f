package io.llmc4j.compress.recipe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The modifier types recipes may name: an explicit name -> {@link ModifierType} map, filled by
 * code, one line per modifier:
 *
 * <pre>{@code
 * registry.register("QuantizationModifier", QuantizationModifierArgs.class, QuantizationModifierArgs.DEFAULTS,
 *         QuantizationModifier::new);
 * }</pre>
 *
 * Registration checks that the argument type binds: its defaults, written as recipe keys and read
 * back, give equal defaults (so argument types need value equality, as records have), and none of
 * its keys is one of the keys common to all modifiers ({@code group, index, start, end, update}).
 * Thread-safe.
 */
public final class ModifierRegistry {
    private final Map<String, ModifierType<?>> types = new ConcurrentHashMap<>();
    private final ArgumentBinder binder = new ArgumentBinder();

    /** Registers a new modifier type; returns it (keep it to build recipes in code). */
    public <A> ModifierType<A> register(String name, Class<A> argumentType, A defaults, ModifierFactory<A> factory) {
        return register(new ModifierType<>(name, argumentType, defaults, factory));
    }

    /** Registers {@code type}; a second type with the same name is an error. */
    public <A> ModifierType<A> register(ModifierType<A> type) {
        checkBindable(type);
        ModifierType<?> previous = types.putIfAbsent(type.name(), type);
        if (previous != null) throw new IllegalArgumentException("modifier type '" + type.name() + "' is already registered");
        return type;
    }

    public Optional<ModifierType<?>> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The type named {@code name}; unknown names fail with the registered names and the closest one. */
    public ModifierType<?> get(String name) {
        ModifierType<?> type = types.get(name);
        if (type == null) throw unknown(name, name);
        return type;
    }

    /** The type named {@code name}, whose arguments must be {@code argumentType}. */
    public <A> ModifierType<A> get(String name, Class<A> argumentType) {
        ModifierType<?> type = get(name);
        if (type.argumentType() != argumentType)
            throw new IllegalArgumentException("modifier type '" + name + "' takes " + type.argumentType().getName()
                    + ", not " + argumentType.getName());
        @SuppressWarnings("unchecked") ModifierType<A> typed = (ModifierType<A>) type;
        return typed;
    }

    /** The registered names, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(types.keySet());
    }

    ArgumentBinder binder() {
        return binder;
    }

    RecipeException unknown(String path, String name) {
        SortedSet<String> names = names();
        if (ReferenceKeys.definesType(name))
            return new RecipeException(path, "modifier type '" + name + "' (an LLM Compressor modifier) is not supported by llmc4j yet."
                    + " Registered: " + names);
        return new RecipeException(path, "unknown modifier type '" + name + "'." + ClosestMatch.hint(name, names)
                + " Registered: " + names);
    }

    private <A> void checkBindable(ModifierType<A> type) {
        for (String key : binder.keys(type))
            if (RecipeParser.COMMON_KEYS.contains(key))
                throw new IllegalArgumentException("argument type " + type.argumentType().getName() + " of modifier type "
                        + type.name() + " declares '" + key + "', a key every modifier has " + RecipeParser.COMMON_KEYS);
        ObjectNode written = binder.toTree(type, type.defaults());
        A read = binder.bind(type, written, type.name());
        if (!read.equals(type.defaults()))
            throw new IllegalArgumentException("the defaults of modifier type " + type.name() + " do not survive writing and"
                    + " reading (" + type.defaults() + " became " + read + "); argument types need value equality and"
                    + " Jackson-bindable properties");
    }
}
