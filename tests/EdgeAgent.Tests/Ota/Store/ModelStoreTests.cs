using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota.Store;

public sealed class ModelStoreTests : IDisposable
{
    private readonly BundleFixture _fixture = new();

    private string State => _fixture.Dir.Combine("state");

    private BundleInstaller Installer(ModelStore store, int keep = 3) =>
        new(store, new OtaOptions { TrustedKeys = [_fixture.PublicKey], KeepVersions = keep });

    [Fact]
    public void Install_activate_and_rollback_survive_reopening_the_store()
    {
        var store = new ModelStore(State);
        var v1 = Installer(store).Install(_fixture.Tar(_fixture.Folder("vib", "1")));
        store.Activate("line1", v1);
        var v2 = Installer(store).Install(_fixture.Folder("vib", "2"));
        store.Activate("line1", v2).Should().Match<ActiveModel>(a => a.Version == "2" && a.PreviousVersion == "1");
        File.Exists(v2.ModelPath).Should().BeTrue();

        var reopened = new ModelStore(State);
        reopened.Active("line1")!.Version.Should().Be("2");
        reopened.Rollback("line1").Should().Match<ActiveModel>(a => a.Version == "1" && a.PreviousVersion == "2");
        new ModelStore(State).Active("line1")!.Version.Should().Be("1");
    }

    [Fact]
    public void A_rejected_bundle_leaves_the_store_unchanged()
    {
        var store = new ModelStore(State);
        store.Activate("line1", Installer(store).Install(_fixture.Folder("vib", "1")));
        var before = Directory.GetFileSystemEntries(store.Root, "*", SearchOption.AllDirectories).Order().ToList();

        var bad = _fixture.Folder("vib", "2");
        File.AppendAllText(Path.Combine(bad, BundleFiles.Model), "corrupted in transit");
        FluentActions.Invoking(() => Installer(store).Install(bad)).Should().Throw<OtaRejectedException>();

        Directory.GetFileSystemEntries(store.Root, "*", SearchOption.AllDirectories).Order().Should().Equal(before);
        store.Active("line1")!.Version.Should().Be("1");
    }

    [Fact]
    public void Same_version_with_other_content_is_a_conflict_and_reinstall_is_idempotent()
    {
        var store = new ModelStore(State);
        var folder = _fixture.Folder("vib", "1");
        Installer(store).Install(folder);
        Installer(store).Install(folder).Version.Should().Be("1");
        FluentActions.Invoking(() => Installer(store).Install(_fixture.Folder("vib", "1", modelContent: "different")))
            .Should().Throw<OtaRejectedException>().Which.Reason.Should().Be(RejectionReason.Conflict);
    }

    [Fact]
    public void Half_written_staging_from_a_crash_is_never_a_version_and_is_cleaned_at_open()
    {
        var store = new ModelStore(State);
        var staging = store.CreateStagingDirectory();
        File.WriteAllText(Path.Combine(staging, BundleFiles.Model), "half");
        var reopened = new ModelStore(State);
        Directory.Exists(staging).Should().BeFalse();
        reopened.Versions("vib").Should().BeEmpty();
    }

    [Fact]
    public void Prune_keeps_the_newest_and_never_the_active_or_previous()
    {
        var store = new ModelStore(State);
        var installer = Installer(store, keep: 2);
        var first = installer.Install(_fixture.Folder("vib", "1"));
        store.Activate("line1", first);
        for (var v = 2; v <= 5; v++)
        {
            Thread.Sleep(20);
            installer.Install(_fixture.Folder("vib", v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        store.Versions("vib").Select(v => v.Version).Should().BeEquivalentTo(["5", "4", "1"]);
    }

    [Fact]
    public void Unreadable_state_file_is_moved_aside_not_crashed_on()
    {
        var store = new ModelStore(State);
        File.WriteAllText(Path.Combine(store.Root, ModelStore.StateFileName), "{ half a json");
        store.ActiveModels().Should().BeEmpty();
        store.Recovered.Should().Contain("moved to");
        Directory.GetFiles(store.Root, "active.json.corrupt-*").Should().ContainSingle();
    }

    [Fact]
    public void A_read_only_store_creates_cleans_and_moves_nothing()
    {
        ModelStore.OpenReadOnly(State).Should().BeNull("there is no store yet");
        Directory.Exists(State).Should().BeFalse();

        var store = new ModelStore(State);
        store.Activate("line1", Installer(store).Install(_fixture.Folder("vib", "1")));
        var staging = store.CreateStagingDirectory();
        ModelStore.OpenReadOnly(State)!.Active("line1")!.Version.Should().Be("1");
        Directory.Exists(staging).Should().BeTrue("an update of the running agent may be writing it");

        var state = Path.Combine(store.Root, ModelStore.StateFileName);
        File.WriteAllText(state, "{ half a json");
        var reader = ModelStore.OpenReadOnly(State)!;
        reader.ActiveModels().Should().BeEmpty();
        reader.Recovered.Should().Contain("cannot be read");
        File.ReadAllText(state).Should().Be("{ half a json", "repairing it is the agent's job");
    }

    [Fact]
    public void Rollback_without_a_previous_version_says_so()
    {
        var store = new ModelStore(State);
        store.Activate("line1", Installer(store).Install(_fixture.Folder("vib", "1")));
        FluentActions.Invoking(() => store.Rollback("line1")).Should().Throw<OtaRejectedException>().WithMessage("*no previous model*");
    }

    [Fact]
    public void State_file_replacement_is_atomic_and_leaves_no_temporaries()
    {
        var path = _fixture.Dir.Combine("atomic", "state.json");
        AtomicFile.Write(path, "one"u8);
        AtomicFile.Write(path, "two"u8);
        File.ReadAllText(path).Should().Be("two");
        Directory.GetFiles(Path.GetDirectoryName(path)!).Should().ContainSingle();
    }

    public void Dispose() => _fixture.Dispose();
}
