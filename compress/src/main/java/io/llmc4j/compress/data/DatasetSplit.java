package io.llmc4j.compress.data;

/** A dataset cut in two: samples to calibrate on and held-out samples to evaluate on. */
public record DatasetSplit(CalibrationDataset calibration, CalibrationDataset evaluation) {
}
