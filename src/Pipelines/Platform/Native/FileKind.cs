namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>The file type bits of a stat mode (S_IFMT), named.</summary>
internal enum FileKind
{
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}
