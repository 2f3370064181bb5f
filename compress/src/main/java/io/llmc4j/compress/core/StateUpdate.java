package io.llmc4j.compress.core;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Changes to apply to a {@link State} when a session is initialized (the reference's
 * {@code State.update(model=..., calib_data=..., device=..., loggers=...)}): null fields leave the
 * state's value as it is.
 *
 * @param model   the model to compress, or null
 * @param data    data splits to replace (null splits inside are kept), never null
 * @param device  the device name ("cpu", "cuda", ...), or null
 * @param loggers metric loggers, or null
 */
public record StateUpdate(Module model, DataSplits data, String device, List<MetricsLogger> loggers) {

    private static final StateUpdate NONE = new StateUpdate(null, DataSplits.NONE, null, null);

    public StateUpdate {
        if (data == null) data = DataSplits.NONE;
        if (loggers != null) loggers = List.copyOf(loggers);
    }

    public static StateUpdate none() {
        return NONE;
    }

    public static StateUpdate model(Module model) {
        return NONE.withModel(model);
    }

    public StateUpdate withModel(Module newModel) {
        return new StateUpdate(newModel, data, device, loggers);
    }

    public StateUpdate withCalibrationData(List<Map<String, Tensor>> batches) {
        return new StateUpdate(model, new DataSplits(data.train(), data.val(), data.test(), batches), device, loggers);
    }

    public StateUpdate withData(DataSplits newData) {
        return new StateUpdate(model, newData, device, loggers);
    }

    public StateUpdate withDevice(String newDevice) {
        return new StateUpdate(model, data, newDevice, loggers);
    }

    public StateUpdate withLoggers(List<MetricsLogger> newLoggers) {
        return new StateUpdate(model, data, device, newLoggers);
    }
}
