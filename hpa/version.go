package hpa

// KubernetesVersion is the newest kube-controller-manager release whose HPA
// controller the package models: DefaultConfig is its configuration
// (ConfigForKubernetesVersion(KubernetesVersion)).
const KubernetesVersion = "1.35"
