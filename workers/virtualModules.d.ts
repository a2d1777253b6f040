/** The URL of the packed MNIST digits, emitted by tooling/mnistAsset.ts. */
declare module 'virtual:latent-lab/mnist-url' {
  const url: string
  export default url
}
