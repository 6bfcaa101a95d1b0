using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeAgent.Pipelines.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the lazily created ONNX Runtime. Nothing is loaded at start: the first pipeline that asks
    /// <see cref="InferenceRuntimeProvider.Runtime"/> for a model loads the library.
    /// </summary>
    public static IServiceCollection AddInference(this IServiceCollection services, InferenceOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton<InferenceRuntimeProvider>();
        return services;
    }
}
