using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using EdgeAgent.Pipelines.Platform.Native;

namespace EdgeAgent.Ota;

/// <summary>
/// Fetches an artifact to a file on the store's filesystem with a size cap and a timeout, resuming a partial
/// download with an HTTP Range request, then checks its size and SHA-256. A failed check deletes the file.
/// </summary>
public sealed class ArtifactDownloader
{
    private readonly HttpClient _http;
    private readonly long _maxBytes;
    private readonly TimeSpan _timeout;

    public ArtifactDownloader(HttpClient http, long maxBytes, TimeSpan timeout)
    {
        _http = http;
        _maxBytes = maxBytes;
        _timeout = timeout;
    }

    /// <param name="target">Partial content already there is resumed, not fetched again.</param>
    public async Task DownloadAsync(DesiredModel desired, string target, CancellationToken cancellationToken)
    {
        if (desired.Size > _maxBytes)
        {
            throw new OtaRejectedException(RejectionReason.TooLarge, $"{desired.Url} is {desired.Size} bytes, over the {_maxBytes / (1024 * 1024)} MB cap (ota.maxArtifactMegabytes)");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            if (desired.Url.IsFile)
            {
                await CopyAsync(OpenLocal(desired), target, append: false, desired, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await FetchAsync(desired, target, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OtaRejectedException(RejectionReason.DownloadFailed, $"download of {desired.Url} did not finish within {_timeout.TotalSeconds:0}s; it resumes on the next attempt", transient: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or HttpIOException)
        {
            throw new OtaRejectedException(RejectionReason.DownloadFailed, $"download of {desired.Url} failed: {ex.Message}; it resumes on the next attempt", ex, transient: true);
        }
        catch (IOException ex) when (LinuxAbi.Current.IsDiskFull(ex.HResult & 0xFFFF) || ex.Message.Contains("No space left", StringComparison.Ordinal))
        {
            File.Delete(target);
            throw new OtaRejectedException(RejectionReason.DiskFull, $"no space left on the device for {desired.Url}", ex, transient: true);
        }
        catch (IOException ex) when (!desired.Url.IsFile)
        {
            // A connection reset mid-body surfaces as a plain IOException from the response stream: network trouble
            // like any other, and what arrived is kept for the resumed attempt.
            throw new OtaRejectedException(RejectionReason.DownloadFailed, $"download of {desired.Url} failed: {ex.Message}; it resumes on the next attempt", ex, transient: true);
        }

        Check(desired, target);
    }

    /// <summary>
    /// A file:// artifact: a regular file only (a FIFO would block the update loop, /dev/zero would fill the disk up to
    /// the cap). Missing, unreadable or special: rejected (not retried) with the path and why.
    /// </summary>
    private static FileStream OpenLocal(DesiredModel desired)
    {
        var path = desired.Url.LocalPath;
        try
        {
            return RegularFile.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var why = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => $"'{path}' does not exist",
                UnauthorizedAccessException => $"'{path}' is not readable by the agent",
                _ => ex.Message,
            };
            throw new OtaRejectedException(RejectionReason.DownloadFailed, $"cannot read {desired.Url}: {why}", ex);
        }
    }

    private async Task FetchAsync(DesiredModel desired, string target, CancellationToken cancellationToken)
    {
        var have = File.Exists(target) ? new FileInfo(target).Length : 0;
        if (have >= desired.Size)
        {
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, desired.Url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(target);
            throw new HttpRequestException("the server refused to resume; starting over on the next attempt");
        }

        response.EnsureSuccessStatusCode();
        // 206 continues the file; a 200 means the server ignored Range and sends everything again.
        var append = response.StatusCode == HttpStatusCode.PartialContent;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await CopyAsync(stream, target, append, desired, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyAsync(Stream source, string target, bool append, DesiredModel desired, CancellationToken cancellationToken)
    {
        await using (source.ConfigureAwait(false))
        {
            // Unbuffered (the loop has its own buffer): what arrived reaches the file at once and survives a crash for the resume.
            var output = new FileStream(target, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    // The cap is enforced on bytes received, not on what the server or the request claims.
                    if (output.Length + read > Math.Min(_maxBytes, desired.Size))
                    {
                        output.Close();
                        File.Delete(target);
                        throw new OtaRejectedException(desired.Size > _maxBytes ? RejectionReason.TooLarge : RejectionReason.SizeMismatch,
                            $"{desired.Url} sent more than the {Math.Min(_maxBytes, desired.Size)} bytes expected; download discarded");
                    }

                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                output.Flush(flushToDisk: true);
            }
        }
    }

    private static void Check(DesiredModel desired, string target)
    {
        var length = new FileInfo(target).Length;
        if (length < desired.Size)
        {
            throw new OtaRejectedException(RejectionReason.SizeMismatch,
                $"{desired.Url} ended after {length} of {desired.Size} bytes; the download resumes on the next attempt", transient: true);
        }

        if (length > desired.Size)
        {
            File.Delete(target);
            throw new OtaRejectedException(RejectionReason.SizeMismatch, $"{desired.Url} has {length} bytes, the desired state says {desired.Size}");
        }

        string actual;
        using (var stream = File.OpenRead(target))
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        if (actual != desired.Sha256)
        {
            File.Delete(target);
            throw new OtaRejectedException(RejectionReason.ChecksumMismatch, $"{desired.Url} has SHA-256 {actual}, the desired state says {desired.Sha256}: corrupted or replaced");
        }
    }
}
