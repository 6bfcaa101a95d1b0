namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>
/// One value a driver reads, offered as a channel <c>field</c>. <see cref="Min"/>..<see cref="Max"/> is what the chip
/// can physically report (its datasheet's operating or full-scale range): a value outside it is a bus or chip fault,
/// not a measurement, and is rejected as <see cref="BadInput.Implausible"/>.
/// </summary>
public sealed record DeviceQuantity(string Name, string Unit, double Min, double Max);
