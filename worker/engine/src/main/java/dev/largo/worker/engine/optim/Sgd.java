package dev.largo.worker.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum and (coupled, L2) weight decay, as PyTorch's
 * {@code torch.optim.SGD} (dampening 0, no Nesterov): {@code g += wd p; buf = mu buf + g; p -= lr buf}.
 */
public final class Sgd implements Optimizer {

    private final NDManager stateManager;
    private final float momentum;
    private final float weightDecay;
    private final Map<String, NDArray> buffers = new HashMap<>();
    private final StepCounter steps = new StepCounter();

    public Sgd(NDManager stateManager, float momentum, float weightDecay) {
        if (!(momentum >= 0 && momentum < 1 && weightDecay >= 0)) {
            throw new IllegalArgumentException("bad SGD settings: momentum " + momentum + ", weight decay "
                    + weightDecay);
        }
        this.stateManager = stateManager;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<TrainableTensor> tensors, float learningRate) {
        steps.advance();
        try (StepScope scope = StepScope.open(stateManager)) {
            for (TrainableTensor tensor : tensors) {
                NDArray p = tensor.value();
                NDArray g = scope.gradient(tensor);
                scope.borrow(p);
                NDArray direction = weightDecay != 0 ? g.add(p.mul(weightDecay)) : g;
                if (momentum != 0) {
                    NDArray buffer = buffers.get(tensor.name());
                    if (buffer == null) {
                        // PyTorch starts the buffer at the first gradient, not at zero.
                        buffer = AdamW.copy(direction, stateManager);
                        buffers.put(tensor.name(), buffer);
                    } else {
                        scope.borrow(buffer);
                        buffer.muli(momentum).addi(direction);
                    }
                    direction = buffer;
                }
                p.subi(direction.mul(learningRate));
            }
        }
    }

    @Override
    public long stepCount() {
        return steps.count();
    }

    @Override
    public Map<String, NDArray> stateDict() {
        Map<String, NDArray> state = steps.newState(stateManager);
        buffers.keySet().stream().sorted().forEach(name -> state.put("momentum." + name, buffers.get(name)));
        return state;
    }

    @Override
    public void loadStateDict(Map<String, NDArray> state, NDManager manager) {
        long step = StepCounter.saved(state, "SGD");
        Map<String, NDArray> loaded = new HashMap<>();
        for (Map.Entry<String, NDArray> entry : state.entrySet()) {
            if (entry.getKey().startsWith("momentum.")) {
                loaded.put(entry.getKey().substring("momentum.".length()), AdamW.copy(entry.getValue(), manager));
            } else if (!entry.getKey().equals(StepCounter.KEY)) {
                throw new IllegalArgumentException("unexpected SGD state key '" + entry.getKey() + "'");
            }
        }
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        buffers.putAll(loaded);
        steps.restore(step);
    }
}
