package io.llmc4j.engine.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layout: {@code root/parent/model/{config.json, sub/}}, {@code root/parent/other.txt},
 * {@code root/elsewhere/}, and symbolic links {@code root/link-model -> parent/model},
 * {@code root/link-parent -> parent}, {@code root/link-sub -> parent/model/sub},
 * {@code root/link-elsewhere -> elsewhere}.
 */
class InputOutputOverlapTest {
    @TempDir
    Path root;
    Path parent, model, elsewhere, linkModel, linkParent, linkSub, linkElsewhere;

    @BeforeEach
    void layout() throws IOException {
        parent = Files.createDirectories(root.resolve("parent"));
        model = Files.createDirectories(parent.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{}");
        Files.createDirectories(model.resolve("sub"));
        Files.writeString(parent.resolve("other.txt"), "unrelated");
        elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        linkModel = Files.createSymbolicLink(root.resolve("link-model"), model);
        linkParent = Files.createSymbolicLink(root.resolve("link-parent"), parent);
        linkSub = Files.createSymbolicLink(root.resolve("link-sub"), model.resolve("sub"));
        linkElsewhere = Files.createSymbolicLink(root.resolve("link-elsewhere"), elsewhere);
    }

    private OverlappingPathsException refused(Path output, Path input) {
        OverlappingPathsException e = assertThrows(OverlappingPathsException.class,
                () -> InputOutputOverlap.requireApart(output, "--output", true, "--model directory", input), output + " vs " + input);
        assertTrue(e.getMessage().contains("--output " + output.toAbsolutePath()) && e.getMessage().contains("--model directory " + input),
                e.getMessage());
        return e;
    }

    private void allowed(Path output, Path input) {
        assertDoesNotThrow(() -> InputOutputOverlap.requireApart(output, "--output", true, "--model directory", input), output + " vs " + input);
    }

    @Test
    void theModelThroughALinkIsTheModel() {
        assertTrue(refused(model, linkModel).getMessage().contains(" is the "));
        assertTrue(refused(linkModel, model).getMessage().contains(" is the "));
        refused(model, model);
    }

    @Test
    void anAncestorOfTheModelIsRefusedHoweverItIsSpelled() {
        assertTrue(refused(parent, model).getMessage().contains(" contains the "));
        refused(parent, linkModel);
        refused(linkParent, model);
        refused(root, linkModel);
        refused(linkSub.resolve("..").resolve(".."), model);
    }

    @Test
    void anOutputInsideTheModelIsRefusedThroughLinksAndDotDot() {
        assertTrue(refused(model.resolve("new"), model).getMessage().contains(" is inside the "));
        refused(linkModel.resolve("new/deeper"), model);
        refused(linkParent.resolve("model").resolve("new"), model);
        refused(linkSub.resolve("new"), model);
        refused(linkSub, model);
        refused(elsewhere.resolve("x/../../parent/model/y"), model);
        refused(linkSub.resolve(".."), model);
    }

    @Test
    void aSiblingOrALinkedElsewhereIsAllowed() {
        allowed(parent.resolve("model-W8A8"), model);
        allowed(linkParent.resolve("model-W8A8"), linkModel);
        allowed(linkElsewhere.resolve("out"), model);
        allowed(elsewhere, model);
        allowed(root.resolve("no/such/dir"), model);
        allowed(parent, root.resolve("missing-input"));
    }

    @Test
    void aLinkToTheModelInsideAReplacedOutputIsNotTheModel() throws IOException {
        Path out = Files.createDirectories(root.resolve("out"));
        Files.createSymbolicLink(out.resolve("points-at-model"), model);
        allowed(out, model);
    }

    @Test
    void aFileOutputThatIsAnInputFileIsRefusedAlsoAsAHardLink() throws IOException {
        Path data = Files.writeString(root.resolve("data.jsonl"), "{}\n");
        Path hard = Files.createLink(root.resolve("hard.jsonl"), data);
        Path soft = Files.createSymbolicLink(root.resolve("soft.jsonl"), data);
        for (Path output : new Path[] {data, hard, soft}) {
            OverlappingPathsException e = assertThrows(OverlappingPathsException.class,
                    () -> InputOutputOverlap.requireApart(output, "--out", false, "--tokens", data));
            assertTrue(e.getMessage().contains("--out " + output) && e.getMessage().contains("--tokens " + data), e.getMessage());
        }
        assertDoesNotThrow(() -> InputOutputOverlap.requireApart(root.resolve("logits.npy"), "--out", false, "--tokens", data));
    }
}
