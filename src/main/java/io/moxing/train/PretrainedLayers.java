package io.moxing.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.moxing.core.UserException;
import io.moxing.model.CompiledModel;
import io.moxing.model.LayerSpec;
import io.moxing.predict.LoadedModel;
import io.moxing.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies initial weights into layers marked {@code "pretrained": "MODEL[:VERSION]"} from the layer at the
 * same position of that registered model version, which must be of the same type and shapes. Transfer
 * learning from a model Moxing trained itself.
 */
final class PretrainedLayers {
    private PretrainedLayers() {}

    static void apply(CompiledModel target, ModelRegistry registry) {
        List<LayerSpec> layers = target.spec().layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (layer.pretrained() == null) continue;
            try (LoadedModel source = LoadedModel.load(registry.resolve(layer.pretrained()))) {
                List<LayerSpec> sourceLayers = source.compiled().spec().layers();
                if (i >= sourceLayers.size() || !sourceLayers.get(i).type().equals(layer.type())) {
                    throw new UserException("pretrained_mismatch", layer.where() + ": model " + source.card().ref()
                            + " has no " + layer.type() + " layer at position " + i + " to take weights from");
                }
                copy(source.compiled().layerBlocks().get(i), target.layerBlocks().get(i), layer, source.card().ref());
            }
        }
    }

    private static void copy(Block from, Block to, LayerSpec layer, String sourceRef) {
        List<Parameter> source = new ArrayList<>(from.getParameters().values());
        List<Parameter> target = new ArrayList<>(to.getParameters().values());
        if (source.size() != target.size()) {
            throw new UserException("pretrained_mismatch", layer.where() + ": " + sourceRef + "'s layer has "
                    + source.size() + " parameter arrays, this one " + target.size());
        }
        for (int k = 0; k < source.size(); k++) {
            var a = source.get(k).getArray();
            var b = target.get(k).getArray();
            if (!a.getShape().equals(b.getShape())) {
                throw new UserException("pretrained_mismatch", layer.where() + ": parameter " + target.get(k).getName()
                        + " has shape " + b.getShape() + " but " + sourceRef + "'s has " + a.getShape()
                        + "; give the layer the same settings and input as the source model's");
            }
            a.copyTo(b);
        }
    }
}
