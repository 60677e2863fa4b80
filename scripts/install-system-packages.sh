#!/usr/bin/env bash
# Installs the system packages the tests use as real peers (Debian/Ubuntu, apt-get).
# Idempotent and non-interactive: packages already present are not touched.
set -euo pipefail

PACKAGES=(
  chromium          # end-to-end tests drive the UI in a real browser
  wimtools          # wimlib-imagex: reads what we write, writes what we read
  p7zip-full        # 7z: a second, independent WIM and ISO reader
  ntfs-3g           # mkntfs / ntfs-3g for NTFS volumes
  dosfstools        # fsck.fat / mkfs.fat check and compare our FAT32
  mtools            # mdir / mcopy read files back from FAT images
  gdisk             # sgdisk checks our GPT
  fdisk             # sfdisk checks our MBR
  exfatprogs        # mkfs.exfat for Restore drive as exFAT; fsck.exfat checks it
  xorriso           # builds ISO fixtures
  genisoimage       # builds UDF ISO fixtures
  udftools          # UDF tools
  qemu-system-x86   # boots the media we make
  ovmf              # UEFI firmware for QEMU
  grub-efi-amd64-bin # EFI payloads for boot tests
  grub-common       # grub-mkstandalone
  grub-pc-bin       # regenerates the bundled BIOS boot code (resources/bios-boot) to check it
  binutils          # as / ld assemble the stand-in bootmgr the BIOS boot tests start
  time              # GNU time: wall time and peak RSS in npm run bench
  python3 make g++   # node-gyp builds drivelist's native part during npm install
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "System packages: all present."
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo -n); fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
