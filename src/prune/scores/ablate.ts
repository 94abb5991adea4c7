// The ablations of Frankle et al. 2021 ("Pruning Neural Networks at
// Initialization: Why are We Missing the Mark?"), applied after scoring:
//   shuffle  permute each pruned layer's mask (torch.randperm over the
//            layer's entries): the layer keeps its count, positions become
//            random. Synaptic-Flow's `Pruner.shuffle` rebinds a local name
//            and leaves the masks as they were; this permutes the masks;
//   reinit   redraw the pruned layers' weights from the init distribution
//            (the masks stay; pruned entries are zeroed as usual);
//   invert   keep the lowest scores instead of the highest (scored-step.ts).
export type Ablation = 'shuffle' | 'reinit' | 'invert';
export const ABLATIONS: readonly Ablation[] = ['shuffle', 'reinit', 'invert'];
