/**
 * BIOS boot for the "MBR + FAT32 for BIOS and UEFI" medium: GRUB 2 (i386-pc) starts
 * Windows Boot Manager, /bootmgr at the root of the FAT32 partition.
 *
 *   BIOS → MBR: GRUB boot.img (440 bytes) → LBA 1..: GRUB core.img, in the gap before the
 *   1 MiB-aligned partition, with biosdisk, part_msdos, fat, ntldr, boot and echo inside
 *   and an embedded config "ntldr /bootmgr; boot" → bootmgr
 *
 * The FAT32 volume is not touched: its boot sector is never run (GRUB reads the file system
 * itself), and UEFI firmware ignores MBR boot code, so the same medium boots both ways.
 *
 * Use: code = await loadBiosBootCode(resources/bios-boot); writePartitionTable(target,
 * layout, { bootCode: code.mbrCode }); writeBiosLoader(target, layout, code); the FAT32
 * volume with /bootmgr, before or after; checkBiosBoot(target, code) to verify a medium.
 *
 * How GRUB's ntldr hands over, read in GRUB 2.06's grub-core/loader/i386/pc/ntldr.c and
 * chainloader.c (grub_chainloader_patch_bpb). It stands in for Windows' FAT32 boot sector,
 * whose code we cannot read, so the contract below is the one two independent maintained
 * loaders implement for Windows' loaders:
 * - the whole file is read to 0x2000:0000 (GRUB_NTLDR_SEGMENT) and entered at CS:IP =
 *   2000:0000 in real mode with A20 enabled (grub_relocator16_boot with .cs = 0x2000,
 *   .ip = 0, .a20 = 1);
 * - DL holds the BIOS drive number of the root device (grub_get_root_biosnumber: 0x80 for
 *   the disk the BIOS booted), as a boot sector passes it on;
 * - sector 0 of the partition (the volume boot sector with its BPB) is copied to
 *   0000:7C00, where a boot sector would have run, with the BPB's hidden-sectors field set
 *   to the partition's start and its drive-number field to DL (bootmgr looks there for
 *   its volume, which is why both loaders fix these fields up);
 * - SS:SP = 0000:7C00 and DS = ES = FS = GS = 0, the state a boot sector leaves.
 * syslinux's chain.c32 documents the same contract for its ntldr= option (file at segment
 * 0x2000, BPB fixed up: "seg=0x2000 setbpb"). The QEMU tests start a stand-in bootmgr that
 * reports CS, IP, DL, SS, SP and the BPB it finds, and check each of these.
 */
export { loadBiosBootCode, type BiosBootCode } from './boot-code'
export { writeBiosLoader } from './install'
export { checkBiosBoot, BOOTMGR_PATH, MAX_BOOTMGR_BYTES, type BiosBootReport } from './check'
