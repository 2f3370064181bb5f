package io.llmc4j.compress.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Python 3's repr(float) for each value. */
    @ParameterizedTest
    @CsvSource({
            "1e-05, 1e-05", "1e-6, 1e-06", "0.0001, 0.0001", "0.00012345, 0.00012345", "0.000012345, 1.2345e-05",
            "10000, 10000.0", "500000, 500000.0", "1.5, 1.5", "0.1, 0.1", "-2.5, -2.5", "1e16, 1e+16",
            "123456789012345.6, 123456789012345.6", "12345678901234567890, 1.2345678901234567e+19",
            "1.7976931348623157e308, 1.7976931348623157e+308", "5e-324, 5e-324", "-1e-7, -1e-07", "0, 0.0", "-0.0, -0.0"})
    void floatsAsPythonReprWritesThem(double value, String python) {
        assertEquals(python, PythonJson.pythonFloat(value));
    }

    @Property(tries = 2000)
    void floatsReadBackExactly(@ForAll double value) {
        Assume.that(Double.isFinite(value));
        String text = PythonJson.pythonFloat(value);
        assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(Double.parseDouble(text)), text);
    }

    @Test
    void indentedSortedAndAsciiOnly() throws Exception {
        String text = "{\"b\": [1, 2.0, {}], \"a\": {\"z\": null, \"y\": true}, \"é\": \"naïve 😀\\n\", \"c\": [], \"d\": {}}";
        String expected = """
                {
                  "a": {
                    "y": true,
                    "z": null
                  },
                  "b": [
                    1,
                    2.0,
                    {}
                  ],
                  "c": [],
                  "d": {},
                  "\\u00e9": "na\\u00efve \\ud83d\\ude00\\n"
                }""";
        assertEquals(expected, PythonJson.dumps(JSON.readTree(text)));
    }
}
