/**
 * The node catalogue: the explicit list of every node type a document may use (DESIGN §4).
 * Adding a node: write its file and test, then add it here in its category.
 */
import type { AnyNodeDefinition } from '../graph-core/nodeDefinition'
import { createRegistry } from '../graph-core/registry'
import { attributeFilter } from './data/attributeFilter'
import { corrupt } from './data/corrupt'
import { downsample } from './data/downsample'
import { edges } from './data/edges'
import { imageFolder } from './data/imageFolder'
import { mnist } from './data/mnist'
import { noise } from './data/noise'
import { synthFaces } from './data/synthFaces'
import { toy2d } from './data/toy2d'
import { bceLoss } from './loss/bceLoss'
import { arcFaceLoss } from './loss/arcFaceLoss'
import { centerLoss } from './loss/centerLoss'
import { contrastiveLoss } from './loss/contrastiveLoss'
import { cosFaceLoss } from './loss/cosFaceLoss'
import { cycleLoss } from './loss/cycleLoss'
import { ganLoss } from './loss/ganLoss'
import { klLoss } from './loss/klLoss'
import { l1Loss } from './loss/l1Loss'
import { mseLoss } from './loss/mseLoss'
import { softmaxCrossEntropyLoss } from './loss/softmaxCrossEntropyLoss'
import { sphereFaceLoss } from './loss/sphereFaceLoss'
import { tripletLoss } from './loss/tripletLoss'
import { classifierHead } from './model/classifierHead'
import { conv } from './model/conv'
import { decoder } from './model/decoder'
import { dense } from './model/dense'
import { discriminator } from './model/discriminator'
import { embeddingHead } from './model/embeddingHead'
import { encoder } from './model/encoder'
import { generator } from './model/generator'
import { reparameterize } from './model/reparameterize'
import { weightedSum } from './op/weightedSum'
import { adam } from './optim/adam'
import { rmsprop } from './optim/rmsprop'
import { sgd } from './optim/sgd'
import { embeddingsView } from './view/embeddingsView'
import { latentView } from './view/latentView'
import { reconstructionView } from './view/reconstructionView'
import { samplesView } from './view/samplesView'
import { scatter2dView } from './view/scatter2dView'
import { verificationView } from './view/verificationView'

export const NODE_DEFINITIONS: readonly AnyNodeDefinition[] = [
  // data (the datasets and transforms arrive with the datasets issue)
  noise,
  mnist,
  synthFaces,
  toy2d,
  imageFolder,
  corrupt,
  downsample,
  edges,
  attributeFilter,
  // model
  encoder,
  decoder,
  embeddingHead,
  classifierHead,
  generator,
  discriminator,
  reparameterize,
  dense,
  conv,
  // loss
  tripletLoss,
  contrastiveLoss,
  arcFaceLoss,
  cosFaceLoss,
  sphereFaceLoss,
  centerLoss,
  softmaxCrossEntropyLoss,
  mseLoss,
  bceLoss,
  l1Loss,
  klLoss,
  ganLoss,
  cycleLoss,
  weightedSum,
  // optim
  adam,
  sgd,
  rmsprop,
  // view
  samplesView,
  reconstructionView,
  embeddingsView,
  verificationView,
  latentView,
  scatter2dView,
]

/** The registry every loader, analysis and compiler of the product uses. */
export const nodeRegistry = createRegistry(NODE_DEFINITIONS)
