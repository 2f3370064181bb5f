package io.llmc4j.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelsFactoryTest {
    @Test
    void theDefaultIsRegisteredAndEachCallBuildsANewInstance() {
        assertTrue(KernelsFactory.names().contains(KernelsFactory.DEFAULT));
        assertInstanceOf(ReferenceKernels.class, KernelsFactory.create(KernelsFactory.REFERENCE));
        assertNotSame(KernelsFactory.createDefault(), KernelsFactory.createDefault());
    }

    @Test
    void anUnknownNameListsTheBackends() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelsFactory.create("cuda"));
        assertEquals("unknown kernels backend 'cuda', expected one of " + KernelsFactory.names(), e.getMessage());
    }
}
