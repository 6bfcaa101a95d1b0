using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Scoring;

public sealed class DetectionDecoderTests
{
    private const int Classes = 3;
    private static readonly LetterboxGeometry Square = LetterboxGeometry.Compute(640, 640, 640, 640, letterbox: true);

    // Candidates as (cx, cy, w, h, score of class 0, 1, 2) in model pixels of a 640x640 input.
    private static readonly float[][] Candidates =
    [
        [100, 100, 50, 50, 0.90f, 0.05f, 0.01f],   // person A
        [104, 102, 50, 50, 0.80f, 0.10f, 0.01f],   // same person, overlapping: suppressed
        [104, 102, 50, 50, 0.02f, 0.70f, 0.01f],   // a car at the same place: another class, kept
        [400, 300, 80, 40, 0.01f, 0.02f, 0.60f],   // a dog
        [500, 500, 30, 30, 0.20f, 0.10f, 0.05f],   // below the threshold
        [130, 100, 50, 50, 0.50f, 0.00f, 0.00f],   // person B, IoU with A about 0.25: kept
    ];

    [Theory]
    [InlineData(DetectionLayout.BoxesFirst)]
    [InlineData(DetectionLayout.AttributesFirst)]
    public void Both_layouts_give_the_same_boxes_after_threshold_and_class_aware_nms(DetectionLayout layout)
    {
        var decoder = new DetectionDecoder(Candidates.Length, Classes, layout, Square, confidenceThreshold: 0.25f, iouThreshold: 0.45f);

        var score = decoder.Decode(Tensor(layout));

        score.Should().BeApproximately(0.90f, 1e-6f);
        decoder.Detections.ToArray().Select(d => (d.ClassId, d.Score)).Should().Equal((0, 0.90f), (1, 0.70f), (2, 0.60f), (0, 0.50f));
        var person = decoder.Detections[0];
        person.X1.Should().BeApproximately(75f / 640, 1e-6f);
        person.Y1.Should().BeApproximately(75f / 640, 1e-6f);
        person.X2.Should().BeApproximately(125f / 640, 1e-6f);
        person.Y2.Should().BeApproximately(125f / 640, 1e-6f);
    }

    [Fact]
    public void Class_filter_and_max_detections_limit_what_is_reported()
    {
        var decoder = new DetectionDecoder(Candidates.Length, Classes, DetectionLayout.BoxesFirst, Square, classFilter: [0], maxDetections: 1);

        decoder.Decode(Tensor(DetectionLayout.BoxesFirst)).Should().BeApproximately(0.90f, 1e-6f);

        decoder.Detections.Length.Should().Be(1);
        decoder.Detections[0].ClassId.Should().Be(0);
        var dogs = new DetectionDecoder(Candidates.Length, Classes, DetectionLayout.AttributesFirst, Square, classFilter: [2]);
        dogs.Decode(Tensor(DetectionLayout.AttributesFirst)).Should().BeApproximately(0.60f, 1e-6f);
        dogs.Detections.ToArray().Should().ContainSingle().Which.ClassId.Should().Be(2);
    }

    [Fact]
    public void Zones_keep_only_objects_standing_inside_them()
    {
        // The right half of the picture: only the dog (centre x 400/640) stands there.
        var rightHalf = new DetectionZone("yard", [0.5f, 0f, 1f, 0f, 1f, 1f, 0.5f, 1f]);
        var decoder = new DetectionDecoder(Candidates.Length, Classes, DetectionLayout.BoxesFirst, Square, zones: [rightHalf]);

        decoder.Decode(Tensor(DetectionLayout.BoxesFirst)).Should().BeApproximately(0.60f, 1e-6f);

        decoder.Detections.ToArray().Should().ContainSingle().Which.ClassId.Should().Be(2);
        var triangle = new DetectionZone("t", [0f, 0f, 1f, 0f, 0f, 1f]);
        triangle.Contains(0.2f, 0.2f).Should().BeTrue();
        triangle.Contains(0.8f, 0.8f).Should().BeFalse();
    }

    [Fact]
    public void Letterbox_padding_is_removed_so_boxes_are_in_frame_coordinates()
    {
        // A 640x480 frame letterboxed into 640x640 sits between y=80 and y=560.
        var geometry = LetterboxGeometry.Compute(640, 480, 640, 640, letterbox: true);
        var decoder = new DetectionDecoder(1, 1, DetectionLayout.BoxesFirst, geometry);

        decoder.Decode([320, 320, 640, 480, 0.9f]);

        decoder.Detections[0].Should().Be(new Detection(0f, 0f, 1f, 1f, 0.9f, 0));
    }

    [Fact]
    public void Objectness_multiplies_the_class_score()
    {
        var decoder = new DetectionDecoder(2, 1, DetectionLayout.BoxesFirst, Square, confidenceThreshold: 0.3f, hasObjectness: true);

        decoder.Decode([100, 100, 20, 20, 0.5f, 0.9f, 300, 300, 20, 20, 0.2f, 0.9f]).Should().BeApproximately(0.45f, 1e-6f);

        decoder.Detections.Length.Should().Be(1);
    }

    [Fact]
    public void Nothing_found_scores_zero_and_a_wrong_size_output_is_refused()
    {
        var decoder = new DetectionDecoder(Candidates.Length, Classes, DetectionLayout.BoxesFirst, Square, confidenceThreshold: 0.95f);

        decoder.Decode(Tensor(DetectionLayout.BoxesFirst)).Should().Be(0f);
        decoder.Detections.Length.Should().Be(0);
        FluentActions.Invoking(() => decoder.Decode(new float[5])).Should().Throw<ArgumentException>().WithMessage("*6 candidates x 7 attributes*");
    }

    [Fact]
    public void Decoding_allocates_nothing()
    {
        var decoder = new DetectionDecoder(Candidates.Length, Classes, DetectionLayout.AttributesFirst, Square);
        var tensor = Tensor(DetectionLayout.AttributesFirst);
        decoder.Decode(tensor);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            decoder.Decode(tensor);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static float[] Tensor(DetectionLayout layout)
    {
        var attributes = 4 + Classes;
        var tensor = new float[Candidates.Length * attributes];
        for (var n = 0; n < Candidates.Length; n++)
        {
            for (var a = 0; a < attributes; a++)
            {
                var index = layout == DetectionLayout.BoxesFirst ? (n * attributes) + a : (a * Candidates.Length) + n;
                tensor[index] = Candidates[n][a];
            }
        }

        return tensor;
    }
}
