namespace EdgeAgent.Mqtt;

public enum ConnectionState
{
    Disabled,
    Connecting,
    Connected,

    /// <summary>The broker cannot be reached (network, DNS, TLS); retrying with backoff.</summary>
    Unreachable,

    /// <summary>The broker refused our credentials or client id; retrying at the longest backoff.</summary>
    Refused,
}
