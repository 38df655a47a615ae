"""The papers' LeNet-5 (kdhhewuciedu/AIMC Mnist_LeNet5.py: conv 1->16 5x5, tanh, max-pool 2,
conv 16->32 5x5, tanh, max-pool 2, tanh, flatten 512, linear 128, tanh, linear 10, log-softmax)
on the first --images Fashion-MNIST training images, batch 16, lr 0.05, with aihwkit 1.0's default
rpu configs (../shared/peer/aihwkit_configs.py; aihwkit's default 512 x 512 mapping). Prints one
JSON line per config: CPU seconds of the training loop (time.process_time) per image and the mean
train loss. The aimsim side is bench/lenet-aihwkit/lenet.ts; run both with run.sh.

  PEER=/work/peer $PEER/py bench/lenet-aihwkit/lenet_aihwkit.py --configs sb,tt --images 2000
"""
import argparse
import json
import os
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("--configs", default="sb,tt")
p.add_argument("--images", type=int, default=2000)
p.add_argument("--batch", type=int, default=16)
p.add_argument("--lr", type=float, default=0.05)
p.add_argument("--seed", type=int, default=0)
args = p.parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from aihwkit.nn import AnalogConv2d, AnalogLinear, AnalogSequential  # noqa: E402
from aihwkit.optim import AnalogSGD  # noqa: E402

torch.set_num_threads(1)
sys.path.insert(0, os.path.join(os.environ["PEER"]))
import aihwkit_configs as C  # noqa: E402
import fmnist  # noqa: E402


def lenet(rpu):
    return AnalogSequential(
        AnalogConv2d(1, 16, kernel_size=5, stride=1, rpu_config=rpu), nn.Tanh(), nn.MaxPool2d(2),
        AnalogConv2d(16, 32, kernel_size=5, stride=1, rpu_config=rpu), nn.Tanh(), nn.MaxPool2d(2), nn.Tanh(),
        nn.Flatten(), AnalogLinear(512, 128, rpu_config=rpu), nn.Tanh(), AnalogLinear(128, 10, rpu_config=rpu),
        nn.LogSoftmax(dim=1),
    )


xtr, ytr, _, _ = fmnist.load(flatten=False)
x = torch.from_numpy(xtr[: args.images]).reshape(-1, 1, 28, 28).float()
y = torch.from_numpy(ytr[: args.images]).long()
for name in args.configs.split(","):
    torch.manual_seed(args.seed)
    # "<config>-perfect" (-fperfect, -bperfect): the same with perfect forward and backward IO
    # (forward only, backward only), to isolate where two simulators differ.
    base, _, perfect = name.partition("-")
    if base == "mp":
        # Mixed precision at aihwkit's defaults (not in the peer's MLP configs).
        from aihwkit.simulator.configs import DigitalRankUpdateRPUConfig, MixedPrecisionCompound, SoftBoundsDevice

        rpu = DigitalRankUpdateRPUConfig(device=MixedPrecisionCompound(device=SoftBoundsDevice()))
    else:
        rpu = C.make(base)
    if perfect:
        rpu.forward.is_perfect = perfect in ("perfect", "fperfect")
        rpu.backward.is_perfect = perfect in ("perfect", "bperfect")
    model = lenet(rpu)
    opt = AnalogSGD(model.parameters(), lr=args.lr)
    opt.regroup_param_groups(model)
    loss_fn = nn.NLLLoss()
    perm = torch.from_numpy(np.random.default_rng(args.seed).permutation(args.images))
    total, n = 0.0, 0
    t0 = time.process_time()
    for b in range(0, args.images - args.batch + 1, args.batch):
        idx = perm[b : b + args.batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        total += float(loss) * len(idx)
        n += len(idx)
    cpu = time.process_time() - t0
    print(json.dumps({"side": "aihwkit", "config": name, "seed": args.seed, "images": n, "cpu_ms_per_image": 1000 * cpu / n, "epoch_cpu_s": 60 * cpu / n * 1000, "train_loss": total / n}), flush=True)
