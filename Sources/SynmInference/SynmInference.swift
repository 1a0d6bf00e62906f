// SynmInference: samplers, adaptation, chains and MCMC diagnostics over LogDensityModel.
