namespace WeightDecay.Models;

/// <summary>A model that takes flat feature vectors of a known length.</summary>
public interface IFeatureModel
{
    /// <summary>Number of input features the model expects.</summary>
    long InputFeatures { get; }
}
