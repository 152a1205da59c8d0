using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Matrices;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Symbolic.Printing;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Generator.Documents;

/// <summary>
/// What the document template reads: facts about the network and every formula of the derivation, printed
/// by the LaTeX printer in the document's notation. The template holds the prose and the layout.
/// </summary>
internal sealed class DocumentModel
{
    private readonly Derivation _derivation;
    private readonly DocumentNotation _notation;

    private DocumentModel(Derivation derivation)
    {
        _derivation = derivation;
        _notation = DocumentNotation.For(derivation.Spec);
        var spec = derivation.Spec;
        var count = spec.Layers.Count;

        Name = Escape(spec.Name);
        Notation = spec.Notation.ToString();
        Inputs = spec.Inputs;
        Outputs = spec.Outputs;
        LayerCount = count;
        ParameterCount = spec.ParameterCount;
        LossName = spec.Loss.Name;
        LossOverOutputs = spec.Outputs == 1 ? null
            : spec.Loss.Kind == LossKind.MeanSquaredError ? "averaged over the outputs"
            : "summed over the outputs";
        LossSource = spec.Loss.Source is null ? null : Verbatim(spec.Loss.Source);
        LossSymbol = _notation.LossSymbol.ToLatex();
        BatchLossSymbol = _notation.BatchLossSymbol.ToLatex();
        DeltaWords = _notation.DeltaWords;
        DeltaWordsPlural = _notation.DeltaWordsPlural;
        InputList = UnitList(0, spec.Inputs);
        OutputList = UnitList(count, spec.Outputs);
        TargetList = string.Join(", ", Ends(spec.Outputs).Select(u => "$" + (u < 0 ? @"\dots" : Tex(Target(u))) + "$"));
        LearningRate = Tex(NetworkSymbols.LearningRate);

        Layers = derivation.Layers.Select(BuildLayer).ToList();
        OutputLayer = Layers[count - 1];
        HiddenLayers = Layers.Take(count - 1).Reverse().ToList();

        var lossShown = derivation.Loss is Sum ? derivation.LossAsWritten : derivation.Loss;
        LossEquation = Numbered(EquationLabels.Loss, Tex(NetworkSymbols.Loss), Tex(SignOutOfSum(lossShown)));
        LossOutput = _notation.LossOutput.ToLatex();
        LossTarget = _notation.LossTarget.ToLatex();
        TargetWords = _notation.TargetWords;
        var lossPerOutput = PerOutput(derivation.LossPerOutput is Sum ? spec.Loss.ForOutputs(spec.Outputs) : derivation.LossPerOutput);
        LossDerivativeEquation = DerivativeInSteps(EquationLabels.LossDerivative,
            @"\frac{\partial \ell}{\partial " + LossOutput + "}",
            lossPerOutput, _notation.LossOutput, PerOutput(derivation.LossPerOutputDerivative));
        LossPerOutput = Print(lossPerOutput);
        LossPerOutputEquation = Display(@"\ell(" + LossOutput + ", " + LossTarget + ")", LossPerOutput);
        Activations = derivation.Activations.Select((f, index) =>
        {
            // A function with a definition (σ(x) = 1/(1 + e^{−x})) is written out and differentiated from it.
            var definition = f.Function is Call { Function: var function, Arguments: [var argument] } ? function.Definition(argument) : null;
            return new ActivationModel(
                f.Name,
                Print(f.Function) + (definition is null ? "" : " = " + Print(definition)),
                DerivativeInSteps(EquationLabels.ActivationDerivative(index + 1), "f'(x)", definition ?? f.Function, ActivationSpec.Variable, f.Derivative));
        }).ToList();

        if (derivation.StableLoss is { } stable)
        {
            StableLoss = Display(Tex(NetworkSymbols.Loss), Tex(stable));
            StableLossNote = derivation.OutputLayer.Kind.StableLossNote(count) is { } note ? Words(note) : null;
        }

        KindFormulas = derivation.Layers.SelectMany(layer => layer.Kind.Formulas(layer)).Select(formula => new KindFormulaModel(
            Words(formula.Before),
            DerivativeInSteps(formula.Label, Tex(formula.Left), formula.Function, formula.Variable, formula.Result, formula.LastRule, Tex),
            Words(formula.After))).ToList();

        BatchSize = _notation.BatchSize;
        ExampleSum = _notation.ExampleSum;
        ExampleLoss = _notation.ExampleLoss;
        BatchMean = Numbered(EquationLabels.BatchMean,
            @"\frac{\partial " + BatchLossSymbol + @"}{\partial \theta}",
            @"\frac{1}{" + BatchSize + "} " + ExampleSum + @" \frac{\partial " + ExampleLoss + @"}{\partial \theta}");

        if (derivation.GeneralDelta is { } general)
        {
            General = Numbered(EquationLabels.General, Tex(Delta(GeneralLayer, Unit)), Tex(general));
            GeneralGradient = GeneralWeightGradient();
            GeneralActivation = derivation.Spec.Layers[0].Activation.Name;
            GeneralLetters = _notation.GeneralLetters;
        }

        GeneralGradient ??= spec.Notation == NotationStyle.Vectorized ? GeneralWeightGradient() : null;

        Figure = NetworkFigure.Build(spec, _notation);
        Regularisation = derivation.Penalty is { } penalty ? BuildRegularisation(penalty) : null;
        VectorUpdates = BuildVectorUpdates();
        Optimizer = BuildOptimizer();
        if (spec.Notation == NotationStyle.Vectorized)
        {
            BuildMatrixForm();
            BuildMatrixGeneral();
        }

        if (spec.Notation == NotationStyle.Layered && spec.Inputs == 1 && spec.Layers.All(layer => layer.Units == 1) && derivation.OutputLayer.Kind.DiagonalJacobian)
        {
            BuildSingleNeuronChain();
        }

        if (spec.Notation == NotationStyle.Layered && derivation.OutputLayer.Kind.DiagonalJacobian)
        {
            Dependency = DependencyFigure.Build(derivation, SingleNeuronChain is null ? Tex : IndexFree);
        }

        GradientVector = BuildGradientVector();
        Jacobians = derivation.Layers.Where(layer => layer.Units <= MaxWrittenTerms).Select(Jacobian).OfType<string>().ToList();
        JacobianNotes = derivation.Layers.Select(layer => Words(layer.Kind.JacobianNote)).Distinct().ToList();

        VectorForms = Enumerable.Range(1, count).Select(_notation.VectorForm).OfType<string>().ToList();
        if (DirectComputation.For(derivation) is { } direct)
        {
            var w = Tex(direct.Weight);
            Direct = new DirectModel
            {
                Weight = w,
                LossOfWeight = Display(LossSymbol + "(" + w + ")", Tex(direct.LossOfWeight)),
                Derivative = Display(_notation.Partial(NetworkSymbols.Loss, direct.Weight), Tex(direct.Derivative)),
                ChainLabel = direct.Layer < count ? EquationLabels.WorkedExample(direct.Layer) : EquationLabels.WeightGradient(direct.Layer),
                Symbolic = direct.Symbolic,
                Points = DirectComputation.Points,
                Difference = Decimal(direct.LargestDifference),
            };
        }

        if (NumericExample.For(derivation) is { } example)
        {
            Numbers = BuildNumbers(example);
        }
    }

    /// <summary>The L2 section: J = L + (λ/2) Σ w² and ∂J/∂w = ∂L/∂w + λ w; null without a penalty.</summary>
    public RegularisationModel? Regularisation { get; }

    /// <summary>The update section of an optimizer other than θ ← θ − η g.</summary>
    public OptimizerModel Optimizer { get; }

    private RegularisationModel BuildRegularisation(Expr penalty)
    {
        var w = Weight(GeneralLayer, From, Unit);
        return new RegularisationModel
        {
            Symbol = Tex(Derivation.Objective),
            Lambda = HyperparameterValue(_derivation.L2),
            Objective = Numbered(EquationLabels.Objective, Tex(Derivation.Objective), Tex(new Sum(NetworkSymbols.Loss, penalty))),
            WeightGradient = Numbered(EquationLabels.ObjectiveWeightGradient, _notation.Partial(Derivation.Objective, w),
                _notation.Partial(NetworkSymbols.Loss, w) + " + " + Tex(new Product(Derivation.L2Strength, w))),
            BiasGradient = Display(_notation.Partial(Derivation.Objective, Bias(GeneralLayer, Unit)), _notation.Partial(NetworkSymbols.Loss, Bias(GeneralLayer, Unit))),
        };
    }

    /// <summary>
    /// Gradient descent for each layer's weights and biases as whole vectors, as the notes write u ← u − η ∇_u L(u):
    /// the update rule lifted to the notation's vectors. Null where the notation names no vectors or the rule holds
    /// entry by entry only.
    /// </summary>
    public string? VectorUpdates { get; }

    /// <summary>The loss the update descends, as the notation writes it: L, or the objective J with an L2 penalty.</summary>
    private Symbol DescendedLoss => (Symbol)_notation.MapSymbol(_derivation.L2 > 0 ? Derivation.Objective : NetworkSymbols.Loss);

    private string? BuildVectorUpdates()
    {
        var rows = new List<string>();
        for (var l = 1; l <= _derivation.Spec.Layers.Count; l++)
        {
            foreach (var bias in new[] { false, true })
            {
                if (_notation.ParameterVector(l, bias) is not { } vector || _derivation.Update.VectorStep(vector, new MatrixGradient(DescendedLoss, vector)) is not { } step)
                {
                    return null;
                }

                rows.Add(step.Target.ToLatex() + @" &\leftarrow " + step.Value.ToLatex());
            }
        }

        return EquationBlock.Aligned(rows);
    }

    /// <summary>
    /// For a notation with vectors, the sentence that says the optimizer's equations hold for the vector θ of all the
    /// parameters entry by entry, and what they are for gradient descent; empty for the other notations.
    /// </summary>
    private string VectorReading()
    {
        var count = _derivation.Spec.Layers.Count;
        if (_notation.ParameterVector(count, bias: false) is not { } output
            || UpdateRule.StochasticGradientDescent.VectorStep(output, new MatrixGradient(DescendedLoss, output)) is not { } descent)
        {
            return "";
        }

        var theta = new MatrixSymbol((Symbol)_notation.MapSymbol(NetworkSymbols.Parameter), new Shape(Dimension.Parameters(_derivation.Spec.ParameterCount), Dimension.One));
        return "Each equation acts on one parameter at a time, so it holds as written for the vector $" + theta.ToLatex()
            + "$ of all the parameters,\nwith $" + Tex(NetworkSymbols.Gradient) + " = " + new MatrixGradient(DescendedLoss, theta).ToLatex()
            + "$ and every product, quotient, power and root taken entry by entry; for\ngradient descent, this vector form is the notes' $"
            + descent.Target.ToLatex() + @" \leftarrow " + descent.Value.ToLatex() + "$.\n";
    }

    private OptimizerModel BuildOptimizer()
    {
        var rule = _derivation.Update;
        if (rule.IsPlainStep)
        {
            return new OptimizerModel { IsPlain = true };
        }

        var equations = rule.Equations.Select((e, n) =>
            EquationBlock.Render(Tex(e.Target), @"\leftarrow", new[] { Tex(e.Value) }, _derivation.EquationNumber(EquationLabels.UpdateStep(n + 1)), EquationLabels.UpdateStep(n + 1)));
        var values = rule.Hyperparameters.Select(h => "$" + Tex(h.Symbol) + " = " + HyperparameterValue(h.Value) + "$").ToList();
        var state = rule.State.Select(s => "$" + Tex(s) + "$").ToList();
        var temporaries = rule.Equations.Select(e => e.Target).Where(t => TagOf(t)?.Role == SymbolRole.UpdateTemporary).Select(t => "$" + Tex(t) + "$").ToList();
        var gradient = "g = " + _notation.Partial(_derivation.L2 > 0 ? Derivation.Objective : NetworkSymbols.Loss, NetworkSymbols.Parameter);
        var body = new System.Text.StringBuilder();
        body.Append("The generated code trains with ").Append(rule.Name).Append(", with the semantics of PyTorch's \\texttt{").Append(rule.Reference).Append("}.\n");
        body.Append("Write $\\theta$ for any parameter, a weight or a bias, and $").Append(gradient).Append("$ for its gradient from the\n");
        body.Append("equations above. Each training step, with learning rate $").Append(LearningRate).Append("$, runs\n");
        body.Append(string.Join("\n", equations)).Append('\n');
        if (state.Count > 0)
        {
            body.Append("where ").Append(EnglishList(state)).Append(state.Count == 1 ? " is" : " are").Append(" kept for every parameter and start").Append(state.Count == 1 ? "s" : "").Append(" at zero");
            if (rule.CountsSteps)
            {
                body.Append(", and $").Append(Tex(UpdateRule.StepCount)).Append("$ counts the steps taken");
                if (temporaries.Count > 0)
                {
                    body.Append(", so that ").Append(EnglishList(temporaries)).Append(" correct the moments for their start at zero");
                }
            }

            body.Append(".\n");
        }

        if (values.Count > 0)
        {
            body.Append("The hyperparameters are ").Append(EnglishList(values)).Append(".\n");
        }

        body.Append(VectorReading());
        body.Append("The generated code computes the forward pass, every ").Append(DeltaWords).Append(" once per unit, each parameter's gradient, and\n");
        body.Append("these updates in one pass over the parameters.");
        return new OptimizerModel { Body = body.ToString() };
    }

    /// <summary>"a", "a and b", "a, b and c".</summary>
    private static string EnglishList(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];

    /// <summary>value = mantissa · 10^exponent with 1 ≤ |mantissa| &lt; 10.</summary>
    private static (double Mantissa, int Exponent) Scientific(double value)
    {
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return (value / Math.Pow(10, exponent), exponent);
    }

    /// <summary>A hyperparameter's value as a person writes it: 0.9, 0.999, 10^{-8}, 3 \times 10^{-4}.</summary>
    internal static string HyperparameterValue(double value)
    {
        if (value == 0 || (Math.Abs(value) >= 1e-3 && Math.Abs(value) < 1e5))
        {
            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        var (mantissa, exponent) = Scientific(value);
        var rounded = Math.Round(mantissa, 12);
        var power = "10^{" + exponent.ToString(CultureInfo.InvariantCulture) + "}";
        return rounded == 1 ? power : rounded.ToString("R", CultureInfo.InvariantCulture) + @" \times " + power;
    }

    public static DocumentModel Build(Derivation derivation) => new(derivation);

    public string Name { get; }

    public string Notation { get; }

    public int Inputs { get; }

    public int Outputs { get; }

    public int LayerCount { get; }

    public int ParameterCount { get; }

    public string LossName { get; }

    /// <summary>How the per-output terms make the loss ("summed over the outputs"); null for one output.</summary>
    public string? LossOverOutputs { get; }

    public string? LossSource { get; }

    public string LossSymbol { get; }

    public string BatchLossSymbol { get; }

    public string DeltaWords { get; }

    public string DeltaWordsPlural { get; }

    public string InputList { get; }

    public string OutputList { get; }

    public string TargetList { get; }

    public string LearningRate { get; }

    public IReadOnlyList<LayerModel> Layers { get; }

    public LayerModel OutputLayer { get; }

    /// <summary>The hidden layers from the top down, the order backpropagation visits them.</summary>
    public IReadOnlyList<LayerModel> HiddenLayers { get; }

    public string LossEquation { get; }

    public string LossPerOutput { get; }

    /// <summary>ℓ(y, t) = … displayed.</summary>
    public string LossPerOutputEquation { get; }

    /// <summary>The output argument of the per-output loss ℓ in this notation: y, a^{(L)}, a.</summary>
    public string LossOutput { get; }

    /// <summary>The target argument of ℓ: t, or y where y names the target.</summary>
    public string LossTarget { get; }

    /// <summary>What the notation calls a target: "target", "desired output", "label".</summary>
    public string TargetWords { get; }

    public string BatchSize { get; }

    public string ExampleSum { get; }

    public string ExampleLoss { get; }

    /// <summary>Which letters of the general recursion stand for which of this network's; null when they are its own.</summary>
    public string? GeneralLetters { get; }

    public string LossDerivativeEquation { get; }

    public IReadOnlyList<ActivationModel> Activations { get; }

    /// <summary>The formulas the network's layer kinds derive among the useful formulas, each with its sentences.</summary>
    public IReadOnlyList<KindFormulaModel> KindFormulas { get; }

    /// <summary>The loss in the output layer's weighted inputs, as the code computes it; null when the loss is already safe.</summary>
    public string? StableLoss { get; }

    /// <summary>The output layer kind's sentence on why <see cref="StableLoss"/> cannot overflow.</summary>
    public string? StableLossNote { get; }

    public string BatchMean { get; }

    public string? General { get; }

    /// <summary>∂L/∂w of a weight of any layer l; in the course's notation also for a network of one layer.</summary>
    public string? GeneralGradient { get; }

    public string? GeneralActivation { get; }

    public NetworkFigure Figure { get; }

    /// <summary>Each layer's linear combination as the notation writes it for whole vectors (a^{(1)} = xw + b^{(1)}); empty when it has none.</summary>
    public IReadOnlyList<string> VectorForms { get; }

    /// <summary>For a chain of one-neuron layers in 3Blue1Brown's notation, the chapter's index-free equations; null otherwise.</summary>
    public string? SingleNeuronEquations { get; private set; }

    /// <summary>∂C₀/∂w^{(L)} = ∂z/∂w ∂a/∂z ∂C₀/∂a = a^{(L−1)} σ′(z^{(L)}) 2(a^{(L)} − y), index-free, in the chapter's factor order.</summary>
    public string? SingleNeuronChain { get; private set; }

    /// <summary>3Blue1Brown's figure of what the cost depends on through a unit of the last layer (Layered only); null otherwise.</summary>
    public DependencyFigure? Dependency { get; }

    /// <summary>∂h/∂a of each layer of up to four units, entry by entry, as each layer's kind gives its entries.</summary>
    public IReadOnlyList<string> Jacobians { get; }

    /// <summary>What each kind of layer in the network says of its Jacobian, once per kind.</summary>
    public IReadOnlyList<string> JacobianNotes { get; }

    /// <summary>∇ of the loss: the column of its derivatives by each layer's weights and biases.</summary>
    public string GradientVector { get; }

    /// <summary>The Coursera memoisation equations in matrix form (Vectorized only).</summary>
    public string? MatrixForm { get; private set; }

    /// <summary>True when the matrix form writes a g′ or dA out entry by entry.</summary>
    public bool MatrixEntrywise { get; private set; }

    /// <summary>True when dZ^{[L]} = A^{[L]} − Y holds for labels that sum to 1 only.</summary>
    public bool LabelsSumToOne { get; private set; }

    /// <summary>The course's equations in matrix form for a layer l of a network of L layers (Vectorized only).</summary>
    public string? MatrixGeneral { get; private set; }

    /// <summary>For a one-layer network, <see cref="MatrixGeneral"/> at l = L = 1; null otherwise.</summary>
    public string? MatrixInstance { get; private set; }

    /// <summary>The table of the shapes of W, b, Z, A and dZ of each layer, by name and in this network.</summary>
    public string? MatrixShapes { get; private set; }

    /// <summary>The worked weight's gradient computed directly; null for networks too large to write the loss out.</summary>
    public DirectModel? Direct { get; }

    /// <summary>The derivation at numbers; null for networks too large to print them.</summary>
    public NumbersModel? Numbers { get; }

    private LayerModel BuildLayer(LayerDerivation layer)
    {
        var l = layer.Number;
        var d = _derivation;
        var h = Output(l, Unit);
        var a = PreActivation(l, Unit);
        var w = Weight(l, From, Unit);
        var model = new LayerModel
        {
            Number = l,
            Units = layer.Units,
            Inputs = layer.Inputs,
            IsOutput = layer.IsOutput,
            AppliedName = layer.Kind.AppliedName,
            ChainIntro = layer.IsOutput ? Words(layer.Kind.OutputChainIntro(l)) : "",
            DeltaNote = layer.IsOutput && layer.Kind.DeltaNote(layer) is { } note ? Words(note) : null,
            ActivationName = layer.Activation.Name,
            ActivationSource = layer.Activation.Source is null ? null : Verbatim(layer.Activation.Source),
            Unit = Tex(h),
            UnitList = UnitList(l, layer.Units),
            InputUnit = Tex(Output(l - 1, From)),
            PreActivation = Tex(a),
            PreActivationNext = Tex(PreActivation(l, Next)),
            UnitNext = Tex(Output(l, Next)),
            Weight = Tex(w),
            WeightMatrix = _notation.WeightMatrixTex(l),
            Bias = Tex(Bias(l, Unit)),
            Delta = Tex(Delta(l, Unit)),
            PreActivationEquation = PreActivationEquation(layer),
            OutputEquation = Numbered(EquationLabels.Output(l), Tex(h), Tex(layer.Output)),
            OutputInline = Tex(layer.Output),
            Chain = Display(_notation.Partial(NetworkSymbols.Loss, w), Tex(layer.Kind.WeightChain(l))),
            PreActivationByWeight = Display(_notation.Partial(a, w), Tex(layer.PreActivationByWeight)),
            LossByOutput = Tex(layer.LossByOutput),
            DeltaEquation = DeltaEquation(layer),
            WeightGradientEquation = Numbered(EquationLabels.WeightGradient(l),
                _notation.Partial(NetworkSymbols.Loss, w),
                layer.DeltaForm == DeltaForm.ChainProduct ? new[] { Tex(layer.WeightGradientChain), Tex(layer.WeightGradient) } : new[] { Tex(layer.WeightGradient) }),
            BiasGradientEquation = Numbered(EquationLabels.BiasGradient(l),
                _notation.Partial(NetworkSymbols.Loss, Bias(l, Unit)),
                _notation.Partial(NetworkSymbols.Loss, a) + " " + _notation.Partial(a, Bias(l, Unit)),
                Tex(layer.BiasGradient)),
            PreActivationByBias = Tex(layer.PreActivationByBias),
            WeightUpdate = Update(EquationLabels.WeightUpdate(l), w, d.L2 > 0 ? new Sum(layer.WeightGradient, new Product(Derivation.L2Strength, w)) : layer.WeightGradient),
            BiasUpdate = Update(EquationLabels.BiasUpdate(l), Bias(l, Unit), layer.BiasGradient),
        };

        if (layer.OutputByPreActivation is { } derivative)
        {
            var forward = layer.OutputByPreActivationForward!;
            model.OutputByPreActivation = Display(_notation.Partial(h, a),
                derivative.Equals(forward) ? new[] { Tex(derivative) } : new[] { Tex(derivative), Tex(forward) });
        }

        if (layer.IsOutput)
        {
            // The kind's factors; ∂L/∂h_j has a name of its own in some notations (the course's da).
            var factors = layer.Kind.OutputFactors(layer).Select(f =>
                f.Key.Equals(new UnevaluatedDerivative(NetworkSymbols.Loss, h, partial: true)) && _notation.OutputAdjoint(l, Unit) is { } da
                    ? Display(da, new[] { Tex(f.Key) }.Concat(f.Value.Select(Tex)).ToArray())
                    : Display(Tex(f.Key), f.Value.Select(Tex).ToArray())).ToList();
            model.LossByOutputDisplay = factors[0];
            model.OutputByPreActivation = string.Join("\n", factors.Skip(1));
        }
        else
        {
            var above = d.Layers[l];
            var nextEquation = above.PreActivation.SubstituteIndex(Unit, Next);
            model.NextPreActivation = Display(Tex(PreActivation(l + 1, Next)), Tex(nextEquation));
            model.NextPreActivationByOutput = Display(_notation.Partial(PreActivation(l + 1, Next), h), Tex(layer.NextPreActivationByOutput!));
            model.LossByOutputDisplay = Display(
                _notation.Partial(NetworkSymbols.Loss, h),
                @"\sum_{" + Index(Next) + "} " + _notation.Partial(NetworkSymbols.Loss, PreActivation(l + 1, Next)) + " " + _notation.Partial(PreActivation(l + 1, Next), h),
                Tex(layer.LossByOutput));
            model.NextUnit = Tex(Output(l + 1, Next));
            model.NextUnits = above.Units;
            model.NextDelta = Tex(Delta(l + 1, Next));
            model.NextIndex = Index(Next);
            model.WorkedExample = WorkedExample(d.WorkedExamples.Single(e => e.Layer == l), layer, above);
            model.ChapterRecursion = ChapterRecursion(layer, above);
        }

        return model;
    }

    /// <summary>
    /// For the layer below the last in 3Blue1Brown's notation, the chapter's recursion: ∂C₀/∂a_k^{(L−1)} =
    /// Σ_j ∂z_j^{(L)}/∂a_k^{(L−1)} ∂a_j^{(L)}/∂z_j^{(L)} ∂C₀/∂a_j^{(L)}, with j a unit of layer L and k one of layer L − 1,
    /// then each factor as the engine differentiated it. Null for other layers and notations, and where the last layer's
    /// units do not each lie on one path to the cost.
    /// </summary>
    private string? ChapterRecursion(LayerDerivation layer, LayerDerivation above)
    {
        if (_derivation.Spec.Notation != NotationStyle.Layered || !above.IsOutput || !above.Kind.DiagonalJacobian || above.OutputByPreActivation is not { } byWeightedInput)
        {
            return null;
        }

        var (L, below) = (above.Number, Output(layer.Number, From));
        var (z, a) = (PreActivation(L, Unit), Output(L, Unit));
        Expr Partial(Expr numerator, Symbol denominator) => new UnevaluatedDerivative(numerator, denominator, partial: true);
        var chain = new IndexedSum(Unit, new Product(Partial(z, below), Partial(a, z), Partial(NetworkSymbols.Loss, a)));

        // ∂z_k/∂h_j of the layer above, differentiated from its equation, with its units renamed to the chapter's j and k.
        var byBelow = layer.NextPreActivationByOutput!.SubstituteIndex(Unit, From).SubstituteIndex(Next, Unit);
        var factors = new IndexedSum(Unit, new Product(byBelow, byWeightedInput, above.LossByOutput));
        return Display(_notation.Partial(NetworkSymbols.Loss, below), Tex(chain), Tex(factors));
    }

    /// <summary>a_j = Σ_i h_i w_ij + b_j, and for a layer of few inputs the sum written out term by term, as 3Blue1Brown writes it.</summary>
    private string PreActivationEquation(LayerDerivation layer)
    {
        var l = layer.Number;
        var written = layer.PreActivation.ExpandSums();
        return layer.Inputs <= MaxWrittenTerms && layer.Inputs > 1
            ? Numbered(EquationLabels.PreActivation(l), Tex(PreActivation(l, Unit)), Tex(layer.PreActivation), Tex(written))
            : Numbered(EquationLabels.PreActivation(l), Tex(PreActivation(l, Unit)), Tex(layer.PreActivation));
    }

    /// <summary>Sums of up to this many terms are also written out.</summary>
    private const int MaxWrittenTerms = 4;

    private string DeltaEquation(LayerDerivation layer)
    {
        var l = layer.Number;
        var lhs = Tex(Delta(l, Unit));
        var definition = _notation.Partial(NetworkSymbols.Loss, PreActivation(l, Unit));
        var steps = new List<string> { definition };
        steps.AddRange(layer.Kind.DeltaSteps(layer).Select(Tex));

        // A step that the engine could not shorten further is shown once.
        return Numbered(EquationLabels.Delta(l), lhs, steps.Where((step, i) => i == 0 || step != steps[i - 1]).ToArray());
    }

    private WorkedExampleModel WorkedExample(WorkedExample example, LayerDerivation layer, LayerDerivation above)
    {
        var l = layer.Number;
        var h0 = Output(l, 0);
        var w00 = Weight(l, 0, 0);
        var chainTerms = Enumerable.Range(0, example.Abbreviated ? 0 : above.Units).Select(k =>
            Tex(above.Kind.LossByWeightedInput(above, k)) + " " + _notation.Partial(PreActivation(l + 1, k), h0));
        var chain = string.Join(" + ", chainTerms);
        var lossByOutputSteps = chain.Length == 0 ? new[] { Tex(example.LossByOutput) } : new[] { chain, Tex(example.LossByOutput) };
        return new WorkedExampleModel
        {
            Weight = Tex(w00),
            Unit = Tex(h0),
            Abbreviated = example.Abbreviated,
            LossByOutput = Display(_notation.Partial(NetworkSymbols.Loss, h0), lossByOutputSteps),
            Gradient = Numbered(EquationLabels.WorkedExample(l), _notation.Partial(NetworkSymbols.Loss, w00), Tex(example.Gradient)),
            General = ExpandedGradient(layer, above) is { } expanded
                ? Display(_notation.Partial(NetworkSymbols.Loss, Weight(l, From, Unit)), Tex(expanded))
                : null,
        };
    }

    /// <summary>
    /// ∂L/∂w_ij of a hidden layer with the δs of the output layer above written out, as the notes generalise their
    /// worked example: Σ_k (y_k − t_k) y_k (1 − y_k) u_jk h_j (1 − h_j) x_i. Null when the layer above is hidden or
    /// its δ holds a sum of its own, where the gradient equation is already the general form.
    /// </summary>
    private static Expr? ExpandedGradient(LayerDerivation layer, LayerDerivation above)
    {
        var written = above.DeltaForm == DeltaForm.ChainProduct ? above.DeltaChain : above.Delta;
        var delta = written.SubstituteIndex(Unit, Next);
        if (!above.IsOutput || delta.Descendants().Any(e => e is IndexedSum))
        {
            return null;
        }

        return layer.WeightGradientChain.Substitute(Delta(above.Number, Next), delta);
    }

    /// <summary>−Σ_k […] for a sum of negated terms, as the notes write the cross-entropy, rather than Σ_k (−(…)).</summary>
    private static Expr SignOutOfSum(Expr loss) =>
        loss is IndexedSum { Body: Product { Factors: [Number { Value: var sign } minus, var body] } } sum && sign == Rational.MinusOne
            ? new Product(minus, new IndexedSum(sum.Index, body, sum.Lower, sum.Upper))
            : loss;

    /// <summary>ℓ(y, t) in the notation's letters: ℓ(a^{(L)}, y) in 3Blue1Brown's chapter, ℓ(a, y) in the course.</summary>
    private Expr PerOutput(Expr e) =>
        e.Substitute(LossSpec.Output, _notation.LossOutput).Substitute(LossSpec.Target, _notation.LossTarget);

    /// <summary>A derivation expression in the notation's letters with every index dropped: the chapter's one-neuron chain.</summary>
    private string IndexFree(Expr e) =>
        LatexPrinter.WithoutSumBounds.Print(_notation.Map(e).Rewrite(
            symbol => symbol.Equals(_notation.LossSymbol) ? symbol : new Symbol(symbol.Name, symbol.Superscript, Array.Empty<Subscript>()),
            index => index));

    private void BuildSingleNeuronChain()
    {
        var count = _derivation.Spec.Layers.Count;
        var output = _derivation.OutputLayer;
        var w = Weight(count, 0, 0);
        var z = PreActivation(count, 0);
        var a = Output(count, 0);
        string Partial(Expr numerator, Expr denominator) => @"\frac{\partial " + IndexFree(numerator) + @"}{\partial " + IndexFree(denominator) + "}";

        SingleNeuronEquations = "\\begin{equation*}\n\\begin{aligned}\n"
            + IndexFree(NetworkSymbols.Loss) + " &= " + IndexFree(_derivation.LossAsWritten.ExpandSums()) + @" \\" + "\n"
            + IndexFree(z) + " &= " + IndexFree(output.PreActivationAt(0)) + @" \\" + "\n"
            + IndexFree(a) + " &= " + IndexFree(output.OutputAt(0)) + "\n\\end{aligned}\n\\end{equation*}";
        var factors = new[]
        {
            output.PreActivationByWeight.SubstituteIndex(From, 0).SubstituteIndex(Unit, 0),
            output.OutputByPreActivation!.SubstituteIndex(Unit, 0),
            output.LossByOutput.SubstituteIndex(Unit, 0),
        };
        SingleNeuronChain = Display(
            Partial(NetworkSymbols.Loss, w),
            Partial(z, w) + " " + Partial(a, z) + " " + Partial(NetworkSymbols.Loss, a),
            string.Join(" ", factors.Select(f => f is Sum ? @"\left(" + IndexFree(f) + @"\right)" : IndexFree(f))));
    }

    /// <summary>The Jacobian ∂h/∂a of a layer, each entry ∂h_k/∂a_j from the derivation at concrete units.</summary>
    private string? Jacobian(LayerDerivation layer)
    {
        var n = layer.Units;
        string Entry(int k, int j) => Tex(layer.Kind.JacobianEntry(layer, k, j));
        var entries = Enumerable.Range(0, n).Select(k => Enumerable.Range(0, n).Select(j => Entry(k, j)).ToList()).ToList();
        var rows = entries.Select(row => string.Join(" & ", row)).ToList();
        var lhs = @"\frac{\partial " + IndexFree(Output(layer.Number, Unit)) + @"}{\partial " + IndexFree(PreActivation(layer.Number, Unit)) + "}";

        // A matrix wider than the line is left out; its entries are the derivatives the sections above show.
        var width = Enumerable.Range(0, n).Sum(j => entries.Max(row => LineBreaker.Width(row[j])) + 1.0);
        return width + LineBreaker.Width(lhs + " =") > LineBreaker.MaxWidth
            ? null
            : Display(lhs, @"\begin{bmatrix} " + string.Join(@" \\ ", rows) + @" \end{bmatrix}");
    }

    /// <summary>∇L as a column: ∂L/∂w, ∂L/∂b of each layer, the middle layers left out of a deep network.</summary>
    private string BuildGradientVector()
    {
        var count = _derivation.Spec.Layers.Count;
        var layers = count <= 3 ? Enumerable.Range(1, count).ToList() : new List<int> { 1, -1, count };
        var rows = layers.SelectMany(l => l < 0
            ? new[] { @"\vdots" }
            : new[]
            {
                @"\dfrac{\partial " + BatchLossSymbol + @"}{\partial " + _notation.WeightMatrixTex(l) + "}",
                @"\dfrac{\partial " + BatchLossSymbol + @"}{\partial " + IndexFree(Bias(l, Unit)) + "}",
            });

        // Fractions in display size, a little apart, as the chapter stacks them.
        return Display(@"\nabla " + BatchLossSymbol, @"\begin{bmatrix} " + string.Join(@" \\[10pt] ", rows) + @" \end{bmatrix}");
    }

    /// <summary>
    /// The course's matrix form, computed per layer of this network (<see cref="Symbolic.Networks.MatrixForm"/>) and
    /// printed by the LaTeX printer: dZ, the layer's g′ or dA written out, dW and db, and the shape of every matrix.
    /// A deep network shows its top two layers and its first; the others follow the same pattern.
    /// </summary>
    private void BuildMatrixForm()
    {
        if (Symbolic.Networks.MatrixForm.For(_derivation) is not { } form)
        {
            return;
        }

        var layers = form.Layers.Count <= MaxMatrixLayers ? form.Layers.ToList<MatrixLayer?>() : new List<MatrixLayer?> { form.Layers[0], form.Layers[1], null, form.Layers[form.Layers.Count - 1] };
        var equations = layers.Select(layer => layer is null
            ? new[] { @"&\vdots" }
            : layer.Equations.Select(e => e.Left.ToLatex() + " &= " + e.Right.ToLatex()));
        MatrixForm = EquationBlock.Aligned(equations.SelectMany(e => e).ToList());
        LabelsSumToOne = form.LabelsSumToOne;
        MatrixEntrywise = form.Layers.SelectMany(layer => layer.Equations).Any(e => e.Right is Symbolic.Matrices.Entrywise);
        var rows = layers.SelectMany(layer => layer is null
            ? new[] { @"\vdots & & " }
            : layer.ShapeRows.Select(group =>
                string.Join(@",\ ", group.Select(m => m.ToLatex())) + " & " + group[0].Shape.Rows.Latex + @" \times " + group[0].Shape.Columns.Latex
                + " & " + group[0].Shape.Rows.ValueLatex + @" \times " + group[0].Shape.Columns.ValueLatex));
        MatrixShapes = "\\begin{equation*}\n\\begin{array}{lll}\n" + string.Join(" \\\\\n", rows) + "\n\\end{array}\n\\end{equation*}";
    }

    /// <summary>
    /// The course's equations for a layer l of a network of any depth L, from <see cref="Symbolic.Networks.MatrixForm.General"/>,
    /// and for a one-layer network the same equations at l = L = 1, which are its matrix form.
    /// </summary>
    private void BuildMatrixGeneral()
    {
        if (Symbolic.Networks.MatrixForm.General(_derivation) is not { } general)
        {
            return;
        }

        static IReadOnlyList<string> Lines(GeneralMatrixForm form) =>
            form.Output.Concat(form.Hidden is { } hidden ? new[] { hidden } : Array.Empty<Symbolic.Matrices.MatrixEquation>()).Concat(form.Gradients)
                .Select(e => e.Left.ToLatex() + " &= " + e.Right.ToLatex()).ToList();

        MatrixGeneral = EquationBlock.Aligned(Lines(general));
        if (LayerCount == 1)
        {
            MatrixInstance = EquationBlock.Aligned(Lines(Symbolic.Networks.MatrixForm.General(_derivation, 1, 1)!));
        }
    }

    /// <summary>∂L/∂w^{(l)}_{ij} = δ^{(l)}_j h^{(l−1)}_i: the gradient of a weight of any layer l.</summary>
    private string GeneralWeightGradient() => Display(
        _notation.Partial(NetworkSymbols.Loss, Weight(GeneralLayer, From, Unit)),
        Tex(Expr.Multiply(Delta(GeneralLayer, Unit), Output(GeneralPreviousLayer, From))));

    /// <summary>Networks of more layers than this show the matrix form of three of them.</summary>
    private const int MaxMatrixLayers = 4;

    private NumbersModel BuildNumbers(NumericExample example)
    {
        var spec = _derivation.Spec;
        var count = spec.Layers.Count;
        string Values(IEnumerable<(Expr Symbol, double Value)> values) =>
            string.Join(", ", values.Select(v => "$" + Tex(v.Symbol) + " = " + Decimal(v.Value) + "$"));

        var matrices = Enumerable.Range(1, count).Select(l =>
        {
            // Rows as the notation indexes the weights: from i in the 365 notes, to j in the other two.
            var rows = _notation.WeightRowsAreTargets ? spec.UnitsOf(l) : spec.UnitsOf(l - 1);
            var columns = _notation.WeightRowsAreTargets ? spec.UnitsOf(l - 1) : spec.UnitsOf(l);
            var body = string.Join(@" \\ ", Enumerable.Range(0, rows).Select(r => string.Join(" & ", Enumerable.Range(0, columns).Select(c =>
                Decimal(_notation.WeightRowsAreTargets ? example.ValueOf(Weight(l, c, r)) : example.ValueOf(Weight(l, r, c)))))));
            return Display(_notation.WeightMatrixTex(l), @"\begin{bmatrix} " + body + @" \end{bmatrix}");
        }).ToList();

        var forward = Enumerable.Range(1, count).Select(l =>
            Values(Enumerable.Range(0, spec.UnitsOf(l)).Select(j => ((Expr)PreActivation(l, j), example.PreActivations[l - 1][j])))
            + " and " + Values(Enumerable.Range(0, spec.UnitsOf(l)).Select(j => ((Expr)Output(l, j), example.Outputs[l - 1][j])))).ToList();
        var deltas = Enumerable.Range(1, count).Reverse().Select(l =>
            Values(Enumerable.Range(0, spec.UnitsOf(l)).Select(j => ((Expr)Delta(l, j), example.Deltas[l - 1][j])))).ToList();

        // The weight the document works: w_11 of the lowest hidden layer, or of the only layer.
        var worked = _derivation.WorkedExamples.Count > 0 ? 1 : count;
        var gradient = _derivation.Layers[worked - 1].WeightGradientAt(0, 0);
        var factors = gradient is Product product ? product.Factors : new[] { gradient };
        var steps = new List<string> { Tex(gradient) };
        if (factors.All(f => f is Symbol))
        {
            steps.Add(string.Join(" ", factors.Select(f => @"\left(" + Decimal(example.Evaluate(f)) + @"\right)")));
        }

        steps.Add(Decimal(example.Evaluate(gradient)));
        var graph = _derivation.OutputLayer.Kind.DiagonalJacobian ? Graph(example) : null;

        var index = spec.Layout.WeightIndex(worked, 0, 0);
        var w = Tex(Weight(worked, 0, 0));
        var plus = example.LossWith(index, NumericExample.Step);
        var minus = example.LossWith(index, -NumericExample.Step);
        var check = Display(
            @"\frac{" + LossSymbol + "(" + w + @" + \varepsilon) - " + LossSymbol + "(" + w + @" - \varepsilon)}{2 \varepsilon}",
            @"\frac{" + Precise(plus) + " - " + Precise(minus) + @"}{2 \cdot 10^{-5}}",
            Precise(example.CentralDifference(index)));
        return new NumbersModel
        {
            Graph = graph,
            Check = check,
            Analytic = Precise(example.Gradient[index]),
            RelativeError = Decimal(example.RelativeError(index)),
            LargestRelativeError = Decimal(Enumerable.Range(0, spec.ParameterCount).Max(example.RelativeError)),
            ParameterCount = spec.ParameterCount,
            Input = Values(Enumerable.Range(0, spec.Inputs).Select(i => ((Expr)Output(0, i), example.Input[i]))),
            Target = Values(Enumerable.Range(0, spec.Outputs).Select(j => ((Expr)Target(j), example.Target[j]))),
            Seed = NumericExample.DefaultSeed,
            Matrices = matrices,
            Forward = forward,
            Loss = "$" + LossSymbol + " = " + Decimal(example.Loss) + "$",
            Deltas = deltas,
            Gradient = Display(_notation.Partial(NetworkSymbols.Loss, Weight(worked, 0, 0)), steps.ToArray()),
            GradientLabel = EquationLabels.WeightGradient(worked),
        };
    }

    /// <summary>
    /// The computational graph of the last layer's first unit, as 3Blue1Brown draws it (w, the unit below and b into z,
    /// z into a, a and the target into the loss), each node with its value in the example and the loss's derivative by
    /// it, all evaluated from the derivation.
    /// </summary>
    private IReadOnlyList<GraphNode> Graph(NumericExample example)
    {
        var count = _derivation.Spec.Layers.Count;
        var output = _derivation.OutputLayer;
        var w = Weight(count, 0, 0);
        var below = Output(count - 1, 0);
        var b = Bias(count, 0);
        var z = PreActivation(count, 0);
        var a = Output(count, 0);
        var byBelow = Expr.SumOver(Next, Delta(count, Next) * Weight(count, 0, Next), Expr.Constant(0, 1), Expr.Constant(output.Units - 1, 1)).ExpandSums();
        string Node(Expr symbol) => Tex(symbol);
        string Adjoint(Expr symbol) => @"\partial " + LossSymbol + "/\\partial " + Tex(symbol);
        return new[]
        {
            new GraphNode("w", 0, 2.0, Node(w), Decimal(example.ValueOf(w)), Adjoint(w), Decimal(example.Evaluate(output.WeightGradientAt(0, 0)))),
            new GraphNode("below", 0, 0, Node(below), Decimal(example.ValueOf(below)), Adjoint(below), Decimal(example.Evaluate(byBelow))),
            new GraphNode("b", 0, -2.0, Node(b), Decimal(example.ValueOf(b)), Adjoint(b), Decimal(example.Evaluate(output.BiasGradientAt(0)))),
            new GraphNode("z", 5.5, 0, Node(z), Decimal(example.ValueOf(z)), Adjoint(z), Decimal(example.ValueOf(Delta(count, 0)))),
            new GraphNode("a", 11, 0, Node(a), Decimal(example.ValueOf(a)), Adjoint(a), Decimal(example.Evaluate(output.LossByOutput.SubstituteIndex(Unit, 0)))),
            new GraphNode("loss", 15.5, 0, Node(NetworkSymbols.Loss), Decimal(example.Loss), null, null),
        };
    }

    /// <summary>A number with ten significant digits, for the central differences, whose digits matter.</summary>
    private static string Precise(double value) => value.ToString("G10", CultureInfo.InvariantCulture).Replace("E", @" \times 10^{") is var text && text.Contains("10^{")
        ? text + "}"
        : text;

    /// <summary>A number as the example prints it: four decimals, or three significant digits times a power of ten when smaller.</summary>
    private static string Decimal(double value)
    {
        if (value == 0 || Math.Abs(value) >= 1e-3)
        {
            var text = value.ToString("0.####", CultureInfo.InvariantCulture);
            return text == "-0" ? "0" : text;
        }

        var (mantissa, exponent) = Scientific(value);
        return mantissa.ToString("0.##", CultureInfo.InvariantCulture) + @" \times 10^{" + exponent.ToString(CultureInfo.InvariantCulture) + "}";
    }

    /// <summary>
    /// d/dv of <paramref name="function"/> in the engine's steps, numbered as one equation. Steps of the sum, constant
    /// and variable rules are folded into the next step shown, whose note names every rule since the last; the result
    /// is <paramref name="derivative"/>, the derivative the derivation uses.
    /// </summary>
    private string DerivativeInSteps(string label, string lhs, Expr function, Symbol variable, Expr derivative, string lastRule = "equivalently", Func<Expr, string>? printer = null)
    {
        var print = printer ?? Print;
        var steps = function.DifferentiateWithSteps(variable);
        var shown = new List<(string Step, string Rules)>();
        var rules = new List<string>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            rules.AddRange(RuleWords(step).Where(r => !rules.Contains(r)));
            if (i == steps.Count - 1 || !Folded.Contains(step.Rule))
            {
                // A step that prints as the one before it (an equal form the printer writes alike) is not repeated.
                if (shown.Count == 0 || shown[shown.Count - 1].Step != print(step.Right))
                {
                    shown.Add((print(step.Right), rules.Count == 0 ? DerivativeRules.Variable : string.Join(", ", rules)));
                }

                rules.Clear();
            }
        }

        if (print(derivative) != shown[shown.Count - 1].Step)
        {
            shown.Add((print(derivative), lastRule));
        }

        return EquationBlock.RenderSteps(lhs, print(steps[0].Left), shown, _derivation.EquationNumber(label), label);
    }

    /// <summary>Rules whose steps are folded into the next step shown.</summary>
    private static readonly HashSet<string> Folded = new(StringComparer.Ordinal)
    {
        DerivativeRules.Constant, DerivativeRules.Variable, DerivativeRules.Sum, DerivativeRules.ConstantFactor,
    };

    /// <summary>How the prose names the rule of a step: "quotient rule", "derivative of log, chain rule".</summary>
    private static IEnumerable<string> RuleWords(DerivativeStep step)
    {
        // d/dx c = 0 and dx/dx = 1 go without saying.
        if (step.Rule is DerivativeRules.Constant or DerivativeRules.Variable)
        {
            yield break;
        }

        yield return step.Function is { } function ? "derivative of " + function.Name
            : step.Rule switch
            {
                DerivativeRules.ConstantFactor => "constant factor",
                DerivativeRules.Simplify => "simplifying",
                DerivativeRules.CanonicalForm => "equivalently",
                var rule => rule + " rule",
            };
        if (step.ChainRule)
        {
            yield return "chain rule";
        }
    }

    /// <summary>The update rule's assignment of θ for one parameter, θ ← θ − η ∂L/∂θ for gradient descent.</summary>
    private string Update(string label, Symbol parameter, Expr gradient)
    {
        if (!_derivation.Update.IsPlainStep)
        {
            return "";
        }

        var update = _derivation.Update.Equations[_derivation.Update.Equations.Count - 1].Instantiate(parameter, gradient);
        return EquationBlock.Render(Tex(update.Target), @"\leftarrow", new[] { Tex(update.Value) }, _derivation.EquationNumber(label), label);
    }

    /// <summary>"$x_1$, $x_2$" or "$x_1$, $x_2$, $\dots$, $x_8$": a layer's units as the prose lists them, each in its own math so a line may break between them.</summary>
    private string UnitList(int layer, int units) =>
        string.Join(", ", Ends(units).Select(u => "$" + (u < 0 ? @"\dots" : Tex(Output(layer, u))) + "$"));

    /// <summary>All units when there are few, else the first two, a gap (−1) and the last.</summary>
    private static IEnumerable<int> Ends(int units) =>
        units <= 4 ? Enumerable.Range(0, units) : new[] { 0, 1, -1, units - 1 };

    private string Tex(Expr e) => _notation.Tex(e);

    /// <summary>A layer kind's sentence in this notation's letters and words.</summary>
    private string Words(Prose prose) => prose.Render(Tex, DeltaWords, DeltaWordsPlural);

    private static string Print(Expr e) => e.ToLatex();

    private string Index(string canonical) => _notation.MapIndex(Subscript.Named(canonical)).Name!;

    private string Numbered(string label, string lhs, params string[] steps) =>
        EquationBlock.Render(lhs, "=", steps, _derivation.EquationNumber(label), label);

    private static string Display(string lhs, params string[] steps) => EquationBlock.Render(lhs, "=", steps, null, null);

    /// <summary>User text shown in the document, in a typewriter font with LaTeX's special characters escaped.</summary>
    private static string Verbatim(string text) => @"\texttt{" + Escape(text) + "}";

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c switch
        {
            '\\' => @"\textbackslash{}",
            '{' or '}' or '#' or '$' or '%' or '&' or '_' => "\\" + c,
            '^' => @"\^{}",
            '~' => @"\~{}",
            _ when c < ' ' => " ",
            _ => c.ToString(),
        }));
}

/// <summary>One layer's printed formulas.</summary>
internal sealed class LayerModel
{
    public int Number { get; set; }
    public int Units { get; set; }
    public int Inputs { get; set; }
    public bool IsOutput { get; set; }
    /// <summary>What the layer applies to its weighted inputs, as its kind names it in the prose.</summary>
    public string AppliedName { get; set; } = "";

    /// <summary>The kind's sentence before the output layer's chain rule.</summary>
    public string ChainIntro { get; set; } = "";

    /// <summary>The kind's sentence after the output layer's δ; null when it has none.</summary>
    public string? DeltaNote { get; set; }
    public string ActivationName { get; set; } = "";
    public string? ActivationSource { get; set; }
    public string Unit { get; set; } = "";
    public string UnitList { get; set; } = "";
    public string InputUnit { get; set; } = "";
    public string PreActivation { get; set; } = "";
    public string PreActivationNext { get; set; } = "";
    public string UnitNext { get; set; } = "";
    public string Weight { get; set; } = "";
    public string WeightMatrix { get; set; } = "";
    public string Bias { get; set; } = "";
    public string Delta { get; set; } = "";
    public string PreActivationEquation { get; set; } = "";
    public string OutputEquation { get; set; } = "";
    public string OutputInline { get; set; } = "";
    public string Chain { get; set; } = "";
    public string PreActivationByWeight { get; set; } = "";
    public string PreActivationByBias { get; set; } = "";
    public string? OutputByPreActivation { get; set; }
    public string LossByOutput { get; set; } = "";
    public string LossByOutputDisplay { get; set; } = "";
    public string? NextPreActivation { get; set; }
    public string? NextPreActivationByOutput { get; set; }
    public string? NextUnit { get; set; }
    public int NextUnits { get; set; }
    public string? NextDelta { get; set; }
    public string? NextIndex { get; set; }
    public string DeltaEquation { get; set; } = "";
    public string WeightGradientEquation { get; set; } = "";
    public string BiasGradientEquation { get; set; } = "";
    public string WeightUpdate { get; set; } = "";
    public string BiasUpdate { get; set; } = "";
    public WorkedExampleModel? WorkedExample { get; set; }
    public string? ChapterRecursion { get; set; }
}

/// <summary>A formula a layer kind derives among the useful formulas: its sentence, its steps and what follows.</summary>
internal sealed class KindFormulaModel
{
    public KindFormulaModel(string before, string steps, string after)
    {
        Before = before;
        Steps = steps;
        After = after;
    }

    public string Before { get; }

    public string Steps { get; }

    public string After { get; }
}

/// <summary>The direct computation's printed formulas.</summary>
internal sealed class DirectModel
{
    public string Weight { get; set; } = "";
    public string LossOfWeight { get; set; } = "";
    public string Derivative { get; set; } = "";
    public string ChainLabel { get; set; } = "";
    public bool Symbolic { get; set; }
    public int Points { get; set; }
    public string Difference { get; set; } = "";
}

/// <summary>A node of the computational graph: its symbol, value and adjoint, and where it is drawn.</summary>
internal sealed class GraphNode
{
    public GraphNode(string id, double x, double y, string symbol, string value, string? adjoint, string? adjointValue)
    {
        Id = id;
        At = "(" + x.ToString(CultureInfo.InvariantCulture) + "," + y.ToString(CultureInfo.InvariantCulture) + ")";
        Symbol = symbol;
        Value = value;
        Adjoint = adjoint;
        AdjointValue = adjointValue;
    }

    public string Id { get; }
    public string At { get; }
    public string Symbol { get; }
    public string Value { get; }
    public string? Adjoint { get; }
    public string? AdjointValue { get; }
}

/// <summary>The numeric example's printed values.</summary>
internal sealed class NumbersModel
{
    public string Input { get; set; } = "";
    public string Target { get; set; } = "";
    public int Seed { get; set; }
    public IReadOnlyList<string> Matrices { get; set; } = new List<string>();
    public IReadOnlyList<string> Forward { get; set; } = new List<string>();
    public string Loss { get; set; } = "";
    public IReadOnlyList<string> Deltas { get; set; } = new List<string>();
    public string Gradient { get; set; } = "";
    public string GradientLabel { get; set; } = "";
    public string Check { get; set; } = "";
    public IReadOnlyList<GraphNode>? Graph { get; set; }
    public string Analytic { get; set; } = "";
    public string RelativeError { get; set; } = "";
    public string LargestRelativeError { get; set; } = "";
    public int ParameterCount { get; set; }
}

/// <summary>The worked example of a hidden layer.</summary>
internal sealed class WorkedExampleModel
{
    public string Weight { get; set; } = "";
    public string Unit { get; set; } = "";
    public bool Abbreviated { get; set; }
    public string LossByOutput { get; set; } = "";
    public string Gradient { get; set; } = "";
    public string? General { get; set; }
}

/// <summary>An activation with its printed formula and numbered derivative.</summary>
internal sealed class ActivationModel
{
    public ActivationModel(string name, string function, string derivative)
    {
        Name = name;
        Function = function;
        Derivative = derivative;
    }

    public string Name { get; }
    public string Function { get; }
    public string Derivative { get; }
}

/// <summary>The L2 section of the document.</summary>
internal sealed class RegularisationModel
{
    public string Symbol { get; set; } = "";

    public string Lambda { get; set; } = "";

    public string Objective { get; set; } = "";

    public string WeightGradient { get; set; } = "";

    public string BiasGradient { get; set; } = "";
}

/// <summary>The update section of the document: the optimizer's equations, state and hyperparameters.</summary>
internal sealed class OptimizerModel
{
    /// <summary>θ ← θ − η g alone: the per-layer update equations are shown instead of <see cref="Body"/>.</summary>
    public bool IsPlain { get; set; }

    /// <summary>The section's text after its title, for an optimizer other than θ ← θ − η g.</summary>
    public string Body { get; set; } = "";
}
