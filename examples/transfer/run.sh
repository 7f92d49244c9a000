#!/usr/bin/env bash
# The transfer-learning demo (issue 3): pretrain MobileNetV2 (width 0.35, 32x32) on 8 Fashion-MNIST
# classes, then learn the 2 held-out classes (Pullover vs Coat) from 500 training images three ways with
# the recipe's augmentation: the pretrained backbone frozen, the pretrained backbone fine-tuned, and the
# same network from scratch (same epochs, same augmentation, same images). Prints the test accuracies.
#   examples/transfer/run.sh            (EPOCHS=30 by default; ~25 min on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
epochs="${EPOCHS:-30}"
accuracy() { tail -1 | sed -n 's/.*"test_accuracy":\([0-9.]*\).*/\1/p'; }

./moxing data import fashion-mnist-32 >/dev/null
./moxing data subset fashion-8 --from fashion-mnist-32 \
  --classes "T-shirt/top,Trouser,Dress,Sandal,Shirt,Sneaker,Bag,Ankle boot" >/dev/null
./moxing data subset pullover-coat-500 --from fashion-mnist-32 --classes Pullover,Coat --train-limit 500 >/dev/null
backbone=$(./moxing train examples/transfer/backbone-fashion-8.json --json | accuracy)
echo "backbone-fashion-8 (8 classes, 3 epochs): test accuracy $backbone"
for arm in transfer finetune scratch; do
  acc=$(./moxing train "examples/transfer/$arm-pullover-coat.json" --epochs "$epochs" --json | accuracy)
  echo "$arm-pullover-coat ($epochs epochs, 500 images, augmented): test accuracy $acc"
done
