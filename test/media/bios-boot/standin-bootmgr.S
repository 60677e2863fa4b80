# A stand-in for Windows' bootmgr (whose real file cannot be run here): a real-mode program
# linked at offset 0 that reports, on COM1, the state it was started in, then ends QEMU
# through its isa-debug-exit device (port 0xf4).
#
#   BOOTMGR-STANDIN cs=2000 ip=0000 dl=80 ss=0000 sp=7C00 vbr-sig=AA55 vbr-hidden=00000800
#   vbr-drive=80 tail=TAIL-LOADED END
#
# ip is the offset it was entered at; vbr-* are read from the boot sector at 0000:7C00 (its
# 55 AA signature, BPB hidden sectors and BPB drive number); tail is the text the test puts
# in the last 16 bytes of the padded file, read back from memory to show the whole file was
# loaded. STANDIN_SIZE (the padded size) is given with --defsym.
#
# Assemble: as --32 --defsym STANDIN_SIZE=<n> -o x.o x.S; ld -m elf_i386 -Ttext=0 --oformat=binary

.intel_syntax noprefix
.code16
.globl _start
_start:
    # No interrupts: SeaBIOS's timer would otherwise let its serial mirror of the screen
    # write into the middle of the report. cli changes no register the report shows.
    cli
    # Keep the registers as they were handed over before anything changes them.
    mov word ptr cs:[entry_dx], dx
    mov word ptr cs:[entry_ss], ss
    mov word ptr cs:[entry_sp], sp
    # The return address of a call is where we run; minus the link offset, the entry IP.
    call 1f
1:  pop ax
    sub ax, offset 1b
    mov word ptr cs:[entry_ip], ax

    push cs
    pop ds
    xor ax, ax
    mov es, ax                      # es:0x7c00 is the boot sector the loader left there

    lea si, [text_cs]
    call puts
    mov ax, cs
    call hex16
    lea si, [text_ip]
    call puts
    mov ax, [entry_ip]
    call hex16
    lea si, [text_dl]
    call puts
    mov al, [entry_dx]
    call hex8
    lea si, [text_ss]
    call puts
    mov ax, [entry_ss]
    call hex16
    lea si, [text_sp]
    call puts
    mov ax, [entry_sp]
    call hex16
    lea si, [text_signature]
    call puts
    mov ax, es:[0x7c00 + 510]
    call hex16
    lea si, [text_hidden]
    call puts
    mov ax, es:[0x7c00 + 28 + 2]    # BPB hidden sectors (offset 28), high word first
    call hex16
    mov ax, es:[0x7c00 + 28]
    call hex16
    lea si, [text_drive]
    call puts
    mov al, es:[0x7c00 + 64]        # FAT32 BPB drive number (offset 64)
    call hex8
    lea si, [text_tail]
    call puts
    mov ax, 0x2000 + (STANDIN_SIZE - 16) / 16
    mov ds, ax
    xor si, si
    call puts
    push cs
    pop ds
    lea si, [text_end]
    call puts

    # isa-debug-exit: QEMU exits with status (value << 1) | 1, here 33.
    mov dx, 0xf4
    mov al, 0x10
    out dx, al
2:  hlt
    jmp 2b

# al as two hex digits
hex8:
    mov ah, al
    mov cx, 2
    jmp hex
# ax as four hex digits
hex16:
    mov cx, 4
# the top cx nibbles of ax, most significant first
hex:
    rol ax, 4
    push ax
    and al, 0x0f
    add al, '0'
    cmp al, '9'
    jbe 1f
    add al, 'A' - '9' - 1
1:  call putc
    pop ax
    loop hex
    ret

# the zero-terminated string at ds:si
puts:
    lodsb
    test al, al
    jz 1f
    call putc
    jmp puts
1:  ret

# al to COM1's transmit register (QEMU's UART takes it without waiting)
putc:
    push dx
    mov dx, 0x3f8
    out dx, al
    pop dx
    ret

text_cs:        .asciz "BOOTMGR-STANDIN cs="
text_ip:        .asciz " ip="
text_dl:        .asciz " dl="
text_ss:        .asciz " ss="
text_sp:        .asciz " sp="
text_signature: .asciz " vbr-sig="
text_hidden:    .asciz " vbr-hidden="
text_drive:     .asciz " vbr-drive="
text_tail:      .asciz " tail="
text_end:       .asciz " END\r\n"
entry_dx:       .word 0
entry_ss:       .word 0
entry_sp:       .word 0
entry_ip:       .word 0
