// Namespaces every test file uses.
global using TorchSharp;
global using WeightDecay.Data;
global using WeightDecay.Experiments;
global using WeightDecay.Losses;
global using WeightDecay.Models;
global using WeightDecay.Optimization;
global using WeightDecay.Regularization;
global using WeightDecay.Training;
global using Xunit;
global using static TorchSharp.torch;
