package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.pipelines.PipelineRepository;
import dev.verigen.orchestrator.pipelines.SavedPipeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/** Model names: what one resolves to, and which ones {@code GET /v1/models} lists for a tenant. */
@Component
public class ModelCatalog {

    private static final int MAX_LISTED_PIPELINES = 500;

    private final OrchestratorProperties orchestrator;
    private final OpenAiProperties settings;
    private final PipelineRepository pipelines;
    private final long started = Instant.now().getEpochSecond();

    public ModelCatalog(OrchestratorProperties orchestrator, OpenAiProperties settings, PipelineRepository pipelines) {
        this.orchestrator = orchestrator;
        this.settings = settings;
        this.pipelines = pipelines;
    }

    /** @throws dev.verigen.support.problems.ApiProblem 404 for a name that names nothing, 400 for a bad preset size */
    public ResolvedModel resolve(String tenant, String id) {
        return switch (ModelName.parse(id, orchestrator.pools(), orchestrator.limits().maxSamples())) {
            case ModelName.OfPool p -> preset(id, new Preset(Preset.Kind.SINGLE, 1), p.pool());
            case ModelName.OfPreset p -> preset(id, p.preset(), p.pool());
            case ModelName.OfPipeline p -> {
                SavedPipeline saved = pipelines.find(tenant, p.pipeline())
                        .orElseThrow(() -> ModelName.notFound(id, null));
                yield saved(id, saved, p.pool());
            }
        };
    }

    /** Each pool alone, every preset on it (sized ones at the listed sizes), then the tenant's saved pipelines. */
    public List<ResolvedModel> list(String tenant) {
        List<ResolvedModel> models = new ArrayList<>();
        int max = orchestrator.limits().maxSamples();
        for (String pool : new TreeSet<>(orchestrator.pools())) {
            models.add(preset(pool, new Preset(Preset.Kind.SINGLE, 1), pool));
            for (Preset.Kind kind : Preset.Kind.values()) {
                if (!kind.takesN() || kind == Preset.Kind.IAD) {
                    Preset.parse(kind.prefix(), max).ifPresent(p -> models.add(preset(p.name() + "/" + pool, p, pool)));
                    continue;
                }
                for (int n : settings.listedSamples()) {
                    try {
                        Preset.parse(kind.prefix() + "-" + n, max)
                                .ifPresent(p -> models.add(preset(p.name() + "/" + pool, p, pool)));
                    } catch (IllegalArgumentException outOfRange) {
                        // a listed size this preset or the limits do not allow is left out
                    }
                }
            }
        }
        for (SavedPipeline saved : pipelines.list(tenant, MAX_LISTED_PIPELINES)) {
            models.add(saved(saved.name(), saved, null));
        }
        return models;
    }

    private ResolvedModel preset(String id, Preset preset, String pool) {
        return new ResolvedModel(id, preset.pipeline(pool, settings), preset.samplesFollowChoices(),
                preset.kind().summary().replace("N", Integer.toString(preset.n())) + " on " + pool, started, false);
    }

    private static ResolvedModel saved(String id, SavedPipeline saved, String pool) {
        ObjectNode pipeline = (ObjectNode) saved.pipeline().deepCopy();
        if (pool != null) {
            pipeline.put("model", pool);
        }
        String description = saved.description() == null ? "saved pipeline " + saved.name() : saved.description();
        return new ResolvedModel(id, pipeline, false, description, saved.createdAt().getEpochSecond(), true);
    }
}
