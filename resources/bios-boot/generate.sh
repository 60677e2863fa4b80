#!/usr/bin/env bash
# Regenerates the BIOS boot code this folder carries, from Debian's grub-pc-bin package:
#   boot.img      GRUB's MBR stage, copied unchanged
#   core.img      grub-mkimage output: the loader that goes in the gap before the partition
#   manifest.json the GRUB version, how core.img was made, and both files' SHA-256
# The output depends only on the package version (grub-mkimage writes no dates), so running
# this again with the same grub-pc-bin gives the same bytes. The tests check that.
#
# Usage: bash resources/bios-boot/generate.sh [output-folder]   (default: this folder)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here}"
grub_dir="${GRUB_I386_PC_DIR:-/usr/lib/grub/i386-pc}"

# biosdisk reads the disk through INT 13h, part_msdos finds msdos1, fat reads /bootmgr,
# ntldr loads it the way Windows' own boot sector does, boot runs it, echo explains a failure.
modules=(biosdisk part_msdos fat ntldr boot echo)
# The root is the first MBR partition of the drive the BIOS booted (the leading comma keeps
# the drive GRUB was started from). Nothing is ever loaded from the path: every module is inside.
prefix='(,msdos1)/boot/grub'

version="$(dpkg-query -W -f='${Version}' grub-pc-bin)"
mkdir -p "$out"
cp "$grub_dir/boot.img" "$out/boot.img"
grub-mkimage --directory="$grub_dir" --format=i386-pc --prefix="$prefix" \
  --config="$here/embed.cfg" --output="$out/core.img" "${modules[@]}"

sha() { sha256sum "$1" | cut -d' ' -f1; }
cat > "$out/manifest.json" <<JSON
{
  "grub": { "package": "grub-pc-bin", "version": "$version" },
  "coreImage": { "modules": ["$(IFS=,; echo "${modules[*]}" | sed 's/,/", "/g')"], "prefix": "$prefix", "config": "embed.cfg" },
  "sha256": { "boot.img": "$(sha "$out/boot.img")", "core.img": "$(sha "$out/core.img")" }
}
JSON
