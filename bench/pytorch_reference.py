"""PyTorch reference for the compile-overhead bench (issue #9, part 3).

The three models of bench/compileOverheadModels.ts, with the same shapes, batch sizes,
initialisation scale (Glorot-uniform kernels, zero biases), optimizers and iteration structure,
trained on the CPU with torch's default thread count. Like the TF.js loops, every iteration
reads its losses back once (`.item()`). Inputs come from a fixed pool of 8 batches, as there.

Prints JSON to stdout: {"torch": version, "threads": n, "models": {name: {"stepsPerSecond",
"batchSize", "rounds"}}}. Run: python3 bench/pytorch_reference.py [--rounds 5] [--seconds 2.5]
[--models autoencoder,dcgan,arcface]
"""

import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

POOL_BATCHES = 8


def glorot(module: nn.Module) -> None:
    """Glorot-uniform weights and zero biases, as the graph's nodes initialise them."""
    for layer in module.modules():
        if isinstance(layer, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(layer.weight)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)


class Pool:
    """A fixed pool of batches taken in turn (the bench's `bench.pool` node)."""

    def __init__(self, shape, batch_size, classes=10, normal=False):
        count = POOL_BATCHES * batch_size
        generator = torch.Generator().manual_seed(7)
        self.x = (torch.randn if normal else torch.rand)((count, *shape), generator=generator)
        self.labels = torch.randint(0, classes, (count,), generator=generator)
        self.batch_size = batch_size
        self.index = 0

    def next(self):
        start = (self.index % POOL_BATCHES) * self.batch_size
        self.index += 1
        end = start + self.batch_size
        return self.x[start:end], self.labels[start:end]


def batch_norm(channels: int, dims: int) -> nn.Module:
    # Momentum 0.1 on the batch statistics (the nodes keep 90 % of the running ones), ε 1e-3.
    kind = nn.BatchNorm1d if dims == 1 else nn.BatchNorm2d
    return kind(channels, eps=1e-3, momentum=0.1)


def autoencoder(batch_size: int):
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 256),
        nn.ReLU(),
        nn.Linear(256, 32),
        nn.Linear(32, 256),
        nn.ReLU(),
        nn.Linear(256, 784),
        nn.Sigmoid(),
    )
    glorot(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    pool = Pool((1, 28, 28), batch_size)

    def step():
        x, _ = pool.next()
        optimizer.zero_grad(set_to_none=True)
        loss = F.mse_loss(model(x).view_as(x), x)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def dcgan(batch_size: int):
    # NCHW: 7×7×64 seed, transposed convs to 14×14×32 and 28×28×1 (padding 1 = TF's 'same').
    generator = nn.Sequential(
        nn.Linear(64, 7 * 7 * 64, bias=False),
        batch_norm(7 * 7 * 64, 1),
        nn.ReLU(),
        nn.Unflatten(1, (64, 7, 7)),
        nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1, bias=False),
        batch_norm(32, 2),
        nn.ReLU(),
        nn.ConvTranspose2d(32, 1, 4, stride=2, padding=1),
        nn.Sigmoid(),
    )
    discriminator = nn.Sequential(
        nn.Conv2d(1, 32, 4, stride=2, padding=1),
        nn.LeakyReLU(0.2),
        nn.Conv2d(32, 64, 4, stride=2, padding=1),
        nn.LeakyReLU(0.2),
        nn.Flatten(),
        nn.Linear(7 * 7 * 64, 1),
    )
    glorot(generator)
    glorot(discriminator)
    optimizer_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optimizer_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    images = Pool((1, 28, 28), batch_size)
    noise = Pool((64,), batch_size, normal=True)

    def step():
        real, _ = images.next()
        z, _ = noise.next()
        optimizer_d.zero_grad(set_to_none=True)
        # BCE on logits: real → 1, fake → 0. G runs forward (its BN statistics move), detached.
        fake = generator(z).detach()
        loss_d = F.softplus(-discriminator(real)).mean() + F.softplus(discriminator(fake)).mean()
        loss_d.backward()
        optimizer_d.step()
        z, _ = noise.next()
        optimizer_g.zero_grad(set_to_none=True)
        loss_g = F.softplus(-discriminator(generator(z))).mean()
        # Gradients for G's parameters only, as the TF.js optimizer's variable list.
        loss_g.backward(inputs=list(generator.parameters()))
        optimizer_g.step()
        return loss_d.item(), loss_g.item()

    return step


class ArcFaceHead(nn.Module):
    """ArcFace (Deng et al. 2019): cos(θ + m) at the target, × s, cross-entropy."""

    def __init__(self, classes: int, size: int, scale: float, margin: float):
        super().__init__()
        std = math.sqrt(2 / (classes + size))
        self.weight = nn.Parameter(torch.nn.init.trunc_normal_(torch.empty(classes, size), 0, std, -2 * std, 2 * std))
        self.scale = scale
        self.cos_m, self.sin_m = math.cos(margin), math.sin(margin)
        self.threshold = math.cos(math.pi - margin)
        self.fallback = margin * math.sin(margin)

    def forward(self, embeddings, labels):
        cos = F.linear(F.normalize(embeddings), F.normalize(self.weight)).clamp(-1 + 1e-7, 1 - 1e-7)
        one_hot = F.one_hot(labels, cos.shape[1]).to(cos.dtype)
        target = (cos * one_hot).sum(1)
        sin = torch.sqrt(1 - target * target)
        margined = torch.where(
            target > self.threshold, target * self.cos_m - sin * self.sin_m, target - self.fallback
        )
        logits = (cos * (1 - one_hot) + one_hot * margined.unsqueeze(1)) * self.scale
        return F.cross_entropy(logits, labels)


def arcface(batch_size: int):
    encoder = nn.Sequential(
        nn.Conv2d(1, 16, 4, stride=2, padding=1, bias=False),
        batch_norm(16, 2),
        nn.ReLU(),
        nn.Conv2d(16, 32, 4, stride=2, padding=1, bias=False),
        batch_norm(32, 2),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(8 * 8 * 32, 128),
    )
    glorot(encoder)
    head = ArcFaceHead(400, 128, scale=32, margin=0.5)
    optimizer = torch.optim.Adam([*encoder.parameters(), *head.parameters()], lr=1e-3)
    pool = Pool((1, 32, 32), batch_size, classes=400)

    def step():
        x, labels = pool.next()
        optimizer.zero_grad(set_to_none=True)
        loss = head(encoder(x), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


MODELS = {"autoencoder": autoencoder, "dcgan": dcgan, "arcface": arcface}
BATCH_SIZE = 64


def rate(step, seconds: float) -> float:
    started = time.perf_counter()
    steps = 0
    while steps < 2 or time.perf_counter() - started < seconds:
        step()
        steps += 1
    return steps / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.5)
    parser.add_argument("--models", default=",".join(MODELS))
    args = parser.parse_args()
    torch.manual_seed(1)
    results = {}
    for name in args.models.split(","):
        step = MODELS[name](BATCH_SIZE)
        for _ in range(2):
            step()
        rates = [rate(step, args.seconds) for _ in range(args.rounds)]
        results[name] = {
            "stepsPerSecond": statistics.median(rates),
            "batchSize": BATCH_SIZE,
            "rounds": rates,
        }
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "models": results}))


if __name__ == "__main__":
    main()
