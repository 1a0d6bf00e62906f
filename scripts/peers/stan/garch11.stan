// posteriordb garch-garch11 (BSD-3-Clause; Magnusson, Bürkner, Vehtari) in Stan 2.33+ syntax,
// with the priors of models/garch11.synm added (posteriordb's are flat).
data {
  int<lower=0> T;
  array[T] real y;
  real<lower=0> sigma1;
}
parameters {
  real mu;
  real<lower=0> alpha0;
  real<lower=0, upper=1> alpha1;
  real<lower=0, upper=(1 - alpha1)> beta1;
}
model {
  array[T] real sigma;
  sigma[1] = sigma1;
  for (t in 2:T)
    sigma[t] = sqrt(alpha0 + alpha1 * pow(y[t - 1] - mu, 2) + beta1 * pow(sigma[t - 1], 2));
  mu ~ normal(0, 10);
  alpha0 ~ normal(0, 10);
  y ~ normal(mu, sigma);
}
