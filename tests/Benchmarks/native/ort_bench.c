/*
 * The baseline for the inference benchmark: a plain C loop calling OrtApi::Run on the same libonnxruntime.so.1
 * the agent loads (dlopen'd from argv), inputs and outputs bound once, per-call latency with CLOCK_MONOTONIC.
 * No ORT header is needed: the OrtApi slots are the ones src/Pipelines/Inference/Native/OrtSlot.cs documents.
 *
 *   ort_bench LIB MODEL RUNS WARMUP THREADS in:NAME:DIMS ... out:NAME:DIMS ...   (float32 tensors, DIMS like 1x64)
 *
 * Prints one JSON object: {"impl":"c", "median_us":..., "p90_us":..., "p99_us":..., "runs":...}.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void *status_t;
typedef struct { const void **(*get_api)(uint32_t); const char *(*version)(void); } api_base_t;

enum {
    S_GET_ERROR_MESSAGE = 2, S_CREATE_ENV = 3, S_CREATE_SESSION = 7, S_RUN = 9, S_CREATE_SESSION_OPTIONS = 10,
    S_SET_GRAPH_OPT = 23, S_SET_INTRA = 24, S_SET_INTER = 25, S_CREATE_TENSOR = 49, S_CREATE_CPU_MEMORY_INFO = 69,
};

static const void **api;

static void check(status_t status, const char *what) {
    if (status) {
        const char *(*message)(status_t) = (const char *(*)(status_t))api[S_GET_ERROR_MESSAGE];
        fprintf(stderr, "ort_bench: %s: %s\n", what, message(status));
        exit(1);
    }
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct { char name[128]; int64_t dims[8]; size_t rank; size_t count; float *data; void *value; } tensor_t;

static void parse(const char *spec, tensor_t *t) {
    const char *colon = strchr(spec, ':');
    size_t len = (size_t)(colon - spec);
    memcpy(t->name, spec, len);
    t->name[len] = 0;
    t->rank = 0;
    t->count = 1;
    for (const char *p = colon + 1; *p;) {
        char *end;
        t->dims[t->rank] = strtoll(p, &end, 10);
        t->count *= (size_t)t->dims[t->rank++];
        p = *end == 'x' ? end + 1 : end;
    }
}

int main(int argc, char **argv) {
    if (argc < 8) {
        fprintf(stderr, "usage: ort_bench LIB MODEL RUNS WARMUP THREADS in:NAME:DIMS... out:NAME:DIMS...\n");
        return 64;
    }
    void *lib = dlopen(argv[1], RTLD_NOW);
    if (!lib) { fprintf(stderr, "ort_bench: %s\n", dlerror()); return 69; }
    const api_base_t *(*get_base)(void) = (const api_base_t *(*)(void))dlsym(lib, "OrtGetApiBase");
    api = get_base()->get_api(30);
    int runs = atoi(argv[3]), warmup = atoi(argv[4]), threads = atoi(argv[5]);

    void *env, *options, *session, *memory;
    check(((status_t(*)(int, const char *, void **))api[S_CREATE_ENV])(3, "bench", &env), "CreateEnv");
    check(((status_t(*)(void **))api[S_CREATE_SESSION_OPTIONS])(&options), "CreateSessionOptions");
    check(((status_t(*)(void *, int))api[S_SET_GRAPH_OPT])(options, 99), "SetSessionGraphOptimizationLevel");
    check(((status_t(*)(void *, int))api[S_SET_INTRA])(options, threads), "SetIntraOpNumThreads");
    check(((status_t(*)(void *, int))api[S_SET_INTER])(options, 1), "SetInterOpNumThreads");
    check(((status_t(*)(void *, const char *, void *, void **))api[S_CREATE_SESSION])(env, argv[2], options, &session), "CreateSession");
    check(((status_t(*)(int, int, void **))api[S_CREATE_CPU_MEMORY_INFO])(0, 0, &memory), "CreateCpuMemoryInfo");

    tensor_t inputs[8], outputs[8];
    size_t n_in = 0, n_out = 0;
    const char *in_names[8], *out_names[8];
    void *in_values[8], *out_values[8];
    srand(42);
    for (int i = 6; i < argc; i++) {
        int is_input = strncmp(argv[i], "in:", 3) == 0;
        tensor_t *t = is_input ? &inputs[n_in] : &outputs[n_out];
        parse(argv[i] + (is_input ? 3 : 4), t);
        t->data = aligned_alloc(64, ((t->count * sizeof(float)) + 63) / 64 * 64);
        for (size_t k = 0; k < t->count; k++) t->data[k] = (float)rand() / RAND_MAX * 2 - 1;
        check(((status_t(*)(void *, void *, size_t, const int64_t *, size_t, int, void **))api[S_CREATE_TENSOR])(
                  memory, t->data, t->count * sizeof(float), t->dims, t->rank, 1, &t->value), "CreateTensorWithDataAsOrtValue");
        if (is_input) { in_names[n_in] = t->name; in_values[n_in++] = t->value; }
        else { out_names[n_out] = t->name; out_values[n_out++] = t->value; }
    }

    status_t (*run)(void *, void *, const char *const *, void *const *, size_t, const char *const *, size_t, void **) =
        (status_t(*)(void *, void *, const char *const *, void *const *, size_t, const char *const *, size_t, void **))api[S_RUN];
    for (int i = 0; i < warmup; i++) check(run(session, NULL, in_names, in_values, n_in, out_names, n_out, out_values), "Run");
    double *micros = malloc(sizeof(double) * (size_t)runs);
    for (int i = 0; i < runs; i++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        status_t status = run(session, NULL, in_names, in_values, n_in, out_names, n_out, out_values);
        clock_gettime(CLOCK_MONOTONIC, &b);
        check(status, "Run");
        micros[i] = (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
    }
    qsort(micros, (size_t)runs, sizeof(double), compare);
    printf("{\"impl\":\"c\",\"runs\":%d,\"median_us\":%.3f,\"p90_us\":%.3f,\"p99_us\":%.3f}\n", runs,
           micros[runs / 2], micros[(int)(runs * 0.9)], micros[(int)(runs * 0.99)]);
    return 0;
}
