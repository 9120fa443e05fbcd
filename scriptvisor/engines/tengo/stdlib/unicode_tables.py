"""Go 1.19's Unicode tables (Unicode 13.0.0), used by the `text` module and the regex translator.

Go's `strings`/`regexp` use *simple* case mappings, Go's own category and script tables, and
`unicode.SimpleFold` orbits. Python offers full case mappings, a newer Unicode database and no
script property at all, so the tables were dumped once from Go's `unicode` package (categories,
scripts, FoldCategory/FoldScript, CaseRanges and the SimpleFold exceptions) and are decoded
lazily on first use. Ranges are inclusive `(lo, hi)` code point pairs.
"""

from __future__ import annotations

import base64
import zlib
from bisect import bisect_right
from functools import cache

MAX_RUNE = 0x10FFFF
_UPPER_LOWER = MAX_RUNE + 1  # Go's CaseRanges marker for alternating Upper/Lower pairs

_BLOB = (
    "c-rlKS(D_pwdT8j1>ZC32C<WmwtU0(SkhHoY3vxkbbwn|x@*x?ciGYR*U$OB1CY$D>dundTC7n-0hPo?EN907IOccFXH9!BO"
    "B36JZJYVfHX*n}XiSoyqmjs2iOl3AUhF7wTBd_<%pj5E`NkglW=Oq}1{O5bqGUeU#<U~rBEh=o4qelAu{*fN_^CalX0&sM_n"
    "74nmS$Nxb6A#TY8?OlW<>YKUH>#?Y4Y@a`#H`1_w1g&`@Wf58KCK8q;s3vXFB}0nK~(w7OnDm<ITbJO+w`Gt^u8w5Dz9wr_7"
    "9K>?Lhz7U^e){z&Mw(?(i%Oi0YI{4ME740!5t(;sp`UT7Q(+OF~4!DMMvip>X`8|$Shdx%<JMs4IxMtWme#~5vOYRr5HU4t1"
    "kJ%A!hsnXxTA6bG&w$zt7JLJYm9{VbtoenN&Hk$2Z(&b%?R7~<7491|Rk-hNJJ6~Tuvwv3Rz;KTG173Gh!)&1~lVUuU(#YcJ"
    ")SQ&{TSquxgSj1__GDLfDZL<A7@ca22W_LXrcOV9Bi+lo5eyy1SbBk07i|$U9P#pn3x86iUtes?{Fjc}bwIL|>-t1V>CrjNO"
    "~iCdC(vNWUO5?zlh-Y5Xws+JVXjXq4?Rm{*6})z5fh4+_*VNUcrZ$4@_-%_v=4z0<+*kMAS=&fGwEE}z@{Rb1;`0hjGQ-D7F"
    ">VZuKsAB$pt>RTEfc|M43sv8o<q^hyxan)78t{d=`jL(iwf%f_W*?Sl7}yAb=vC_W<w?bm3r4>9P+3bb^bHIDlCh4|V_m3fd"
    ";DRz5i21gu36gqks6ncxn^XGNrei!E;gdEqY-6-<T0T4us*DA0qq4hzYH(V;m-V1&9*HK1pB|Asl1zddIua1~-nOW~lTTqaF"
    "YV;Q#Ns-vneq@-PE-2#c_zs!S{1>)s2Vw_f^4z&~mrqh*ni8M>z##xG`lh21>NTz`h7Nj|ny2#ol_CECNPgL*;6J}Y+zY{_$"
    "I1fsyQx?oJVkF&&<+Kw40x1iY5#WjyGCFUvwhlNVa29nMu`crZvEZ0fd=$#(06$KM!*Wn6hP4_GW<ax2LWtpr6_v&(9dluT{"
    "4aoQI<}b51rrOVI8$cc5VBmEdC*sR$i$=RP}e@}CXv%H0lqD|XNT;hq%<sO2%^#AEf{^2iAz#t;+$3-9}D8QJK`zWV=>$e!s"
    "r%Eh^%HWR7?N|g*$n1Sb5e6WbwPs5tKpnh<*~;(lDla5>|Rh(sUOwQy#r^<lwV%tb~OouA$e0B4iBa&`;<NpEXKC>0~u}8Lb"
    "0Y8B~(Q{t(Ip+F`{chbb8p{$$Dh+N(k9Nk@GGpe9r>$`4$n#3NvVy~R&Y<dYQ_^5??Zg2f0-6NN>0KzoM-Mxc~IaH7}N7qp@"
    "bOlrmftWlaWSQ`O7FGw|l(hBcXa$#nU02Qp|a3;|31(HatNb2!&i%KEv$fYH@>=h(!`Y3C2Y}q&cf_`A}i6>x8@;bmPn;m+#"
    "MPe07j`VK?ETX3>Sj-XgFA(E^n0#+r=$27Vqk<KP&%$gQtB}zu@(ftyPI(X5vS6_x$~n+~({{=Oy|Q5?%*m{y5-4It!O2kHi"
    "dln9&|$p>inFrLec#OKFuEoWGJYA{GND~*$P7ZN9cZ*bO;Yj4am)t8Z?SffurwHqR3ud4Hh8Odf?S~8bv!0509ii;K$G;`F4"
    "C%U6pJA^07N%5z2Iy_BLKKgC8QM7AprM$EFxc977|N5l;uXAuWT~a1s)0@_(Eft7*ND?3Ncm4y!=Z>Af(>{e#>f^L_`Y$1fv"
    "HOc*iyKLr}7r%iOmGEBn%&c9mJf3A3?h<<CRSb7g#P*B;4DTNs_!2V;CV<T#P?nAU-DPvi%&qZ}{^2^wW7tt@VsCEfX~qWMh"
    "|DVsZBs{lO3qx4Lle#l@xG5^zo+pUY+rTHTCyCQ42v-NT(Yt<H3S%KDa-Q5S*_`8nJtnK(8b#2-e@hU>vC-6+!+AAiEcGpcR"
    "CKTOA&~;nXh41!ezs@jc)~j&;>0`=2;{3Uv2)2Keu^9+`gWrVw1p-RfLBdQONT=vilru$kNdM-e{qaKgix>kyfkG?8{`W)<-"
    "mgI|J!#eK45VM;Jo1N<W=y5cUg?Swqfp2Ls_-`il$@!()e8Hrg%$Zi6MqrlVpgkJQ1N-wPg8GxNT%_<8}GUgX4;>4Hq%E*cR"
    "0y=d0%4*&*k|&TOCV+b2I})3dvs7{>7W3;d)4GqSK8tb%-8nR2l>Hu|d*A4+ueIbr_CAPxa3XDi|C5(r335tMiup9pZt4e@8"
    "^Z^GkjaXiN|-*r*hGEBZo<jy*8|*BLVtw3->zAqScW=OUijc5jdMJ$_Bd=!#VvEldz^BWBe`mYZP5%c2F&ROm!*7A4CLc5gN"
    "sX4oMYq>XJc*>G*tybytNu!D(0Oyj4YX^wBv)8vXu)TAtnrzRhaD$%ydmRPCF?4PQD!XIILM^f-DStW)UhYVfJhjy=UB@>|O"
    "bTSjVE%5ohP`ql+H?1K+xn|<lfT%5-E!-@sNu1il`xn{54UOP-c%k9jh<5&~;rquod<Q71FED(Y?h}pPFd6vnUt{8iqWwKB+"
    "r3(~sbx6-Jx$w#d688cMi_f$$o3A@bXYo=*nmox?ZDP{RZ^k(w^xAc%U09N%)i7vpCShjG0L<Um)d~6Q>&2-pOhhXt9j)6+I"
    ")q2sO|V!bMI0x=HnJ$%vdIkU!Jk}_7<yn$<pinCtG-9W_3FP;N~CNzze(C)I|3)H|q}F|IfzU$^YWaxX!N@T$fhcEyS%)u-3"
    "{e6PMjSv5y9s*?)Jd=sN-Mus7e)2V&~uPGOy@qy>)#t@c<P9b)loh&n&^XJKf1S^mGukh>R_)UfK--+rai=S#bl-vq6eh~-{"
    "rOm#1uBli<(nOzybTWQ{zK5h3pVgJ<aMd6#0pRx%1osGhAH{T9Aqci_zCe@FbPTjw|NtNP*&wC?|og9S3PIUQVXEomZYAF4g"
    "!sZV(hV;asI-Zq5x`!EbS_3$r$VP4Dxw@NWi(&MsD-4J=)CUp?h#omjG^Czyli3{wD+1py0#^E+oiFu%{x>t8{#1K}8itP$="
    "x|1$U*1o@Q}Ui0tJ@5xA;~|QM&r&jnkSk@=QGo2HqTf!+h;rw(yq{n|A84x!ruSDj4v>sE;NYR55|yTVE|Su=@%ktwucDE48"
    "B3M3P|85YHthF&tT?I(r7k{+`0{A>$dm+;?=ncBg#Vd&#IWaX0ttcOs2&K9{t~1*h#F~`7mm_n8Enz`gMO;_q{V=!00@>t%N"
    "TYJ-Zp(ylP9eL^Y3DRo+aZI`qsdIyJ+nSq%;utC5aW9(zeH@5~&XS~Jc%{3I9D(y4T|<*vg)U9TiGth)q;U7CvlZjzL!U;~q"
    "BXgq6<Cm3L;0IE0~4_Qraw9W)1(;yehJh<ZDI2Q*PTI|ObIRiz2StC>ClR%x-Zp^haP=17nrNcnu`ZVg?^lBY&x_@hE{qwY9"
    "P}}LCvZKur(>1Y-gN1?+pbnC$Ebo{^FI9k<-~rzZ%Yrq+q(pYeihdbjZZS;?lRC}xG#S7!jy*lI+W;|L@xTl;9l5$;VboF&n"
    "}8_F0{L977Ur1Z(mGKogMEp^cWz}@hE`asJ}&BUIZs8!_lwHDvsEWsQJF`)X(mU5J80|*=r{Bb?rHrLuE;iJ@v&&=YoBE~2d"
    "++prKneHdu}`x(;yu*wBAo@6T!4jO<z=_Fu^*7b`7k`aSx2=xTSF6;r4HeX*&?8=8>g4rAmR8)HtXQ?95GpxmjW{Gq_dxFj%"
    "fwnx#>r$2e8Z?kRZ)pe~poD!~B#P^>ajlZKtuaJBEdvZD*gFaZ*X9~R8MLm$0SG<2~cz;l-ct1)Kcq8G68w8{0fxkNyt^aYr"
    "ah7t7wOpHCPh}=x^v>t^}3@dH1IF}x@AcSVXw1yc)B1Sx#BuTR#RQO_S`j#ls71*w8<G26=y?SVlQZ5I?W~v%m2i7ReBWjIm"
    "?bvF?RLHe2NM2m8Y(r3T^H$Lps%>}z0bEUA68AM}=q0JH^vICxcy5f1Wt%J&W(HGk+2x74<>ZRlk)t!23aVm;34<E&n^3mOX"
    "R{wwE@Ool+80-ly1`k_ZOlsQ3*AGJsZ8x^8#WYV4Z2zkXvV=NFGOqcrB>*55tgO{o#P=ANBU6^BQ9lz6|Abn7Uwc-G&|4xO("
    "f*{Rr=D+!nq7J`D&<kWASj|3e3gxeKl`nx+SzaDOD^uMO7H+n!dWb55+M|OR`UvPUTLwQncvW_39B3>j@Nqv9`T*1&hN@p6Z"
    "qYw4|S`KyV_4^j*P~IP9z{Q!JdB@<zZsh87Di7=pe;lRSG76i4R9cOXk9I_^^tEz$8VbOME1=x#5o0QvHdD63$%Wb=hcMdev"
    "VmR12c6w0Qe#!zLwTwwJBvdUV*uXDebRZ82{veOr9&$!AeGbw+oyott}yyEkToU&^v>B*z=qDlK;&IT~+e6~$ja4QTi7fNKh"
    "rWI#TWs<bp=UVAU(0y0eRP;*gDYB0XC%VDIO8EnFieg~aGhC2Y3f&l1sjaFI*z@SC2s0^3#ok9TW%<o?(o>)@5II}{u2l{+g"
    ">#|TWxJusIisG|C@TOYI2Coq0$IcJ5|4w!L6LX>F&~k5a-mRtcX&?LA?qzBI#)-~m18`0gQUnlZ6S{SIoW48D8rnW0$Lovzg"
    "YfZFO$kY7P78(xXM7D!UHK1K{;?QQ3+sdSL1@Iq7bGj6;74wYQ-x5=zdLcVCa<Sg;mf-Gc)K@Ww|O9#j?r65e+Lm6<b?e&D9"
    "`Wo<zn_blQAh`wB=wx9=$}1y)mOsca$YCN;QHBIuT`QF3xSw}$5>sD1^`mJ*bK1T~&YP=t6&PktPFm7IFrzxlDmrY`|<eUti"
    "XG6H;L?&1MKM?|KFNSW{x3l!I<q&OVF!ACIOzJc5svC9<kiyL6_(jKT)%8MEXO{tyqx6J<3BE^w|F6<4@6d<xFCF*_#z-q?8"
    "ex%w%HmNQ=htQNh!zNBdm!AW7L1ppe?bs}e^qy$5;%?V0R9PX%cEf>+ebSvwLI$`}a_s$pzQArP0uxHwZGzS=0aoOv)80csf"
    "TIQW5mhFO+*$+mC($R($109!(B(yGM#OtN2!>vnQ>N$!?8f$_ht~{`xM8<ci$zG<29ZU5NRff(lH|<^+lu{yE(2M)dD(F?Iu"
    "vjiS8up+E9)RYDwV>zzJ_ruktjFt;j$2=q`f6U6P^9KmeO4V|26?~5jMgCNSc`g@c_I;;KTcjH$^(1d6^UdwP$BD=TB%@S2_"
    "okI<E@7pHvnR0yW|UOUA1ekSB%YXw!#)_odMZtilay{h4%-C!pCkIei#3yPmzUIlTm80_$~*-S&cQg|sgpT%9_B{E5Zsn`Q0"
    "1(3n(LBaSJY&wAAUSae9I^hQWGh1{H4xC4Mh&S}|WPKp`u60(pWY~+vA9;|IE5Eo}{?Y<f8j>_~d@&G(&ZvxfpK&>W1FQh{="
    "0CqfdF<EyK7c*1R?Bgl6FM#>>BiQcy@G<lbi9S-@M1K+wID3MwflgxoLfkabd;l%w?P<in;3+u@RgfklX{ihJ2=GIfK7>yuc"
    "vcW1{$a%7ihPAhu!Xbfu7Ot>rtsu(bNEnU%on}LSJUmVl;y_F1%Zc<s`#?otDUL<Y>OU7nSxSQQdN9vW-8GTJ#1TaB~`gQI;"
    "wFel{A}o8gK(YwN+F`pK?zHf&zwvV+am;74=9;2Gvn*gv>&1%Bq$&sh^CcFG<tSMLo9=r46N)3CyuGMF_|^nBK!ALgS??;&I"
    "|;j&nFk2R+agA#_jyn(m1yE8&N8*DPZWt$IX)3V1**1p-Q%b}611fD4)8R!=cQJtF!ol;gmC2i3nYBh(Z)A<4I{c-jgB_QkT"
    "FJTVTow?L_??)f-d74wK*)6m6YX`#T20Z?@^fzql`5=Mu;>BJ|$k1vBL;6cyieyYX?(=U`|>Fn86_h6$=qKRI!5S<|6giKul"
    "wK7bO^Q_X1s-9_4O~TOcrm5%2v8;g}n6y@8$Vl~qfk>f>zFLvDYfNyFgh;!nvk0cD=MDvQvfzvEiavW4&TU6@<xZW4w+{Fp;"
    "D?UT9;GSb2Rb_`fQ|!OpJon1a7eccz8c}K1m%@(%(Qe&)3m6Kgi?~at$a19K{AA?Dh{)!K-orGMj*}3?YeE#R=sx`>;4t7Xq"
    "<XNT`Z77kHaOeubI_JQ&Afg=AoKt5_{US232>}B~z8nsXKe>3?JGdqKCD8ZbRJk;XCYJZF}l`vghvlW^P}w-v$UDCw6<vYK6"
    "J*+Rfv*t(K+zTopQ~Gr2Uwz*z}%txAjXxZk&QbsBxGcGO1A5~p=%i){FE)%!~3_j|u)Lr$Jo2!+Bg^(@L$%1+JjC!^{lgC8X"
    "5j^K`+?x$p2Y0-Bl<-Q(Y>UsBqD<-A9x~+}<a7Lrmx>D^mn{SjU9=H9@Y(MTOIqg!!s2_@OTN}zTQ0hu1lr03mTCb{YbEV-Q"
    "0T)}3Y<)TnANpS)`F^V=9_Kc4xtx+qO3}W$C;r^&CQ)>ZFCv~`CTwTwK7n|yGv{~2^J|qvlOAiZTHst#^(X#$)l|#bR9GAbI"
    "@U~0TrHAD8m-iixZDxMT3Y<miqgUtmV%K6xUh7^Mr;-}q#Eqc;p#4=!^qk3JYTDuL^3mUF<y_UD2@enYPQ?4skB;cA<B+4)h"
    "*OlCXR)ItBEvb%{VAwB4`VAGGErxa&LZK18sN(kGhhIF)Y=z>k5`@<+yH>Z=6MUqrBP?)v8NVdxDjo`_apw7SCYeE)M}QCT{"
    "h%>ZK3Q35#@xb48S8O`;JLXAfcrM{a0FI$-tQ53v4DJb^Z-{j-=$X;s9O)3~<iiGSK@;l@7UeIr!Bz8oULsR}rM!`Ota(2+M"
    "{ga~t>zya6;{q$kJA_H-{WA8YDwm^qpNT$0US|?{9hMi+oKYScMyLx_vmUWk@sHxpft=3+Rz@n?gM5+`ho+TbP>-EgSpiEZf"
    "alXt6r&xjx&_M|X1&1l7;YpYPO%Pl2s=0{(5~Lihr$lYVi_5>D+$`Lnalp`2q<@(MiXdiaDG5#m=MuqmR155)XLce`Z!Twu="
    "Hgi29dZkcGfYWZjK1(ZVFDgIfd^x55E5G81y}<R2c;eIVQ<kxG?PjqqUrO<qR|s0(?Jgpd4e~W8jauw&>;dtdoshQ#AYni29"
    "V%qZfcM!5Z5*4rW|)YTk<;MSWiCFjfC(nQOF5l^!2PDVT5}l<fqGmZJN=MLiMn~>+9b%q0&w=o6P|bOOiiI!^~JV(Vmh4VTC"
    "-|7zJeZ0PlFzP<IeLY$`5Il_K*}LJt7auHndMg>knM__?Zqu>y@<NOcYPu*uwxJt07(vbHN;j6SUQX>C$wSGAT^7HN4(O1EQ"
    "%vccD>315$97D+X!W@CcUt$2{1g<ApLISpz}*~tVk9+ycs`T8=0IXoF_r))@;AWq@CVv$J@opmPfVb|Wab4XSvTX>Jb&i1oB"
    "$F}4HT<@-Kew^_d({-Q7XDn}{Jm)Z>^G_HCx0s)07|Z^Q00nxkhT9+as`ta0?Xoy*50I_s(L?EcJ<*zh<Ox@noU)oBmOW($u"
    "agMUvXJ@U3JctG$pd&eL8N?xl=74KjtS<|c#ezJNWyWG(F8}>GILt@7|r))7M#KMU&S!IsQ4cv{{w9h9mg`+?@#U*99ObG3C"
    ";hTqG_jugVusx9<mzkV%?x!a;4ILyMc|nt54tJsjp9OKh&D4Pg_fG$A{y$@0#CEH~Cgx)wk`z4}>gPzcu&z{ucIs+~1lxqv5"
    "cunRof!{mn7oz53&Eez<>q^ZwiGw?Z(yloqbE7JJCUapWbpzTp0}Ka`<I%SXik9K!_a2Spoe*0bWHx@wHgVkI;2*z?olniCG"
    "vm*biXxXs*5OJ{!`2h7}lW*=_nJDEG|!sr#2PW?v~&^o^s`^WtDos<&NEc3_1^6SL@F5evQ=C?Cspt5*&+%j(;Z-vn3_7GAt"
    "QW<sKmizW?e)X4pEtDl=D-<9bw%m95jkG%Qq;!99YsP%{T3$+sQWxiEPw6|_F3h^S9m?J?ZdY5Iy3WTpZy(<r1-wS-ey0a(0"
    "UJ1gx)!_t_Wt&Mxff1PkG2`KI744DD;)mrAz$C39b7Z)K}bNe+YQF0!13lrzz3HMFI&CG*Jb`P;G4(Dx4i2kNW2FXt%;xIyF"
    "3Bje>>bi9Hnx;5pV~zCkW=k^TSs3;mBpPvH-5#k{`$XmQCCY`A&-j$9W#N4u5u?-`r+cFtF%~0J}U{SM-=?fhXQk>b5od>{@"
    "W~%{+s6xAg+pJ^?M3t<3#HetWC0UvRW@ShMbLZ}0D#7MJFkL2u!(m5_RMnJ6kP&ffF(Q=Ej<8&vap_6$~qxje0A2U@Hs;k7}"
    "@wvbP?clMDxU=&K0wwlz&dL@BZ4-*P!)xW4{$Zb4e>4IKKqPDWR9D?^oPej?`t)V2Kcuxwt^ierFoM(F#)NFD)CJp`_aEHQ7"
    "2C$wQ$01#^I;X0jSNkD0H=(4FH{*5-Ui26W;SK#Er;Q``cpGoHvg&EDgzCX!D5X*`hAH%H_rs|9toN0G)`iL{8qI1_jK%LBP"
    "8sTxY4t#EfGZO2MH5~aFeh=Gd2$=3C0H$msqPr{1f4<Mq&G&raNmByv@3(_eu&E$c^$CBW<;{MMbS(Dgh-6;!<=4bVIrgNi;"
    "ehapxZ$`5f;~aYHWHp`igJgz7y`~W^%<&gtP>yX(jTXJ>Jd7<^Dm~umyd?iEe?IsOUHz#tre`fBSH}e+RX&ZJ)mxU?VW^AA}"
    ";xdqKTAU~m?QP5~BEYF=I~n9$OeCUtN?5r|E2rmb!KUP$M|jQ63Djkx@N{)f=X*Fpdr2o(YJpOSXp^h?|m?%yAUyS@7Do5zP"
    "op>-%6&(G3N1)2t#)qbsa|M~&c5#w|#<@){Ow>S6iLDB{=l(PfqI|})quiwj@pNlPy+(WNzUP}s*eycQ^RDMf;f173Ygm_}F"
    "Y+bDXe0P1k{}ve*jeYthCnQ9kXMg%Rz2uING+Fobj*QyDKg{<Jua)czb9j39xM&9WC_y<c+E(((GHV+*`L&3BfLe=*uGd|g0"
    "o(siUBcFS_cA+}Glx?nc};%EckiyTobUjCR;sAdL$~@$Z(gqT48r!Bhk1S@x_G_RqHcbKCs&1WyIeGKJ*8mbJK`ModVFz(hM"
    "Dp^Tr)mXd?}p97L5sRSTxyYn$<&?gd)#sexBOc?u3RvJpMgD<afs=cc#>R_MRfWm3-SS;RPPRk#4urk9U91H~G~c?(ZhZMpJ"
    "CpyCSS#ud?eltop;_!|mgnYk7NHJv2Ueqmp~(fL2!~T1dtUD}NMFvokCTd-c|}n~lHYH6IR!tNlGS!W{i}cZ(1v@F$@V%Xhz"
    "^Ve884#~VtCP|VG2X|!s2Wlpm7u9Ue+an_4aL=Hc{Q6|9;?a9qAyH^~S<E#I^zdqi*exG4bAlU#j*_C;`yT6A)1~(;d$?qPB"
    "mK_L6^_|_a=iy=gr_2g<_+D@33L-Gr!syPgv)SHvd=OfECm0QEE_cS8wBRx_FgD(=(B^r=??2ssJB#po^GX!ALghM$!C_As|"
    "8yr}=JDM;ZGQXQ$&z)<<v`>NmsdkK)M}5r;3D0^NH~%-E-qJp=y8hWYX<T%nwn+>dfl&`>B)cUy*k<@ICz_`z11JbdlA`ReU"
    "-0o@;{EysUjyk9@2+OJ_yZH^-HI~ZAJfA7Cr~{AwwPVDv0kiyg%ooR0hBy+wA50Kj%BqByux$?Rua7?uswBBEEX~cPoFOOtZ"
    "BjYML&s2#ujv^%4HqlToS+&2Ma%dTY_p(pkrdUhK9;-skIAp9|K5|5|G1Yu<H!xPN=iQM9>GXTW9Jt_yO-C#c(C<ImSeQCVM"
    "oeVcD?UVW`;CN8sHa0ZX+DQsnL=LdmDnTVh>s7|bDCno&)`u^|K6Twt@n$!+k-s6=2nMvYsC7=V>UxEMgeBaESdHz~66W0%U"
    "SmN=Cknp+C;kzf_p`m5-^dmIIm~1kxECzbHmX^(^*GvUa70{b>a#dhA*Fz9v`3{H(UXw~&StPIsO@I67f~>JK%A!>|@CzNpy"
    "&eok2iK0z-;Q9XV9g@O`UA+-N}@hL-VP#cVXfJJJ>*%AC2WQ6=KS#Lw-5kPaChm{S&`p0P`cZX-+Q&ydHdL8d?(0al*7&n_4"
    ")g;sLS9L<CZ*Wa&KF`-EFP$MZV5|7kUdNIY^6f%XlL)o4}NrK}x$V{YF3?#x4-$^(z*|V}s0&cKLp*a5sVck@yXJ=~;4)GRL"
    "#ZQ8>T?k~VDF599TG2g62ci?yFtudRS|FyC&xnUZhe&BM;EzuR+;FXm}p@^N|)xHNH=UWL5n&F|*pt1t3<k$rNeP}+=HKk~6"
    "_;cl8={rUJNzj>7R&XAvRLH%aZ`$7a_NOrG2dwh5+(mAF+<L0Mo7Pr%rq9;;x3tG6L?iWYFK*4=T!@NwgI}s1Qxaat38U!=n"
    "dU}8Nnx@5uLVguEI+Dnw+L~a)G7W-eYo!OgEBgZ4C&c)R$D4NwEr77|>%+Er6#d~AzyqM}m!^lWva|+nxen^fJP760)$cmKt"
    ">38MmjX7&qW_3ell40fT!{5GU(Wx0^-Vs$`uuUmDZ6&PS}@UqVRq#p7(>4b!(NvD^38pdMv}Xo{PE@E+v`V?TKX*+XlvaHmS"
    "4U<<~Q@*>sMbr=JEP*e)Y#&nPvDlx2;+Rp0Ke0dJSWfNLPEL{I8o=pIsk8kVhcivZYV2{`h$Jx>~-#-0BBEy3M$VVt;y<Z&V"
    "e)t8sA5?z6wV7q<I~c4I}c6PQAYujYqaZ2(=!XIXEx8th-ZOK;lee|`VD5S8Ubr_;R0(-+6{7k~5k@P;oQso<?y56Aa7$!*H"
    "bh8Go>ZapJQ^Vv4zZ}V$logdozVV5oIHs4XI^j)#ouJ|G%P5$R~UC~H;Fz9t(JD?Z3ZN+bH-#^TEcvE*W#;@|@tIv+28fU2F"
    "plzGc_^a#u`mM-BqMpEKIBn_ovk=5WsnwL~H){FS+kEqGe%Om$9r<|2?c|kk|Mx8P{I$p-jziyxOaJ|NhdGBW+tb2VGrkr9^"
    "#Q_0)2Z+xLf@A6_>e_-c|d<V&PTt|=&wbzfdpn?McA2RB>f*c5Pt&PUmvH5xL`s@J3JJ^E%Wu=U!@;MOg_J4XS)Hi0+qt8)Z"
    "Ml4pJpn`-E$YR`m@_2^sEz9aW_vpOY{ziF<bqX{*VQVMS@3Hpns@QYFFU>{q1m%wUzOO6(YWV6lPa86EHxvg|18d_4}LqcgI"
    "&>=GPC<PDwDfJVE%e!5$H$M>lAXMa)^(=^G)3H}|g_ZX}I+gM{P^`3_Vr#hom?Webr6jSL0i{XXX#u1Lo9zH^mEbEBtVrhUP"
    "`9Ork!76Apk4|mtf8<J^IICnBp-{jllO*3>=QNDDkZ`j=_;#Rvi4=THnhmCeB);G{aRVZ$Ydx74qXv>!IigVx0H;=C$o3TAp"
    "6qd%XQn)J@#97Ln?o=3;If9A+0o$2f;<1_KJq|L}X8ix=ILyE%^6PT9Z-8{eU&<@vo<V#g`mXT0Yi!%M`cX4(zi;^u*N^YW!"
    "#Xy(lV|=nIK?}q;!4nVs>ffXgBeCQv&s5@&3EJVJv4War4woJuY%3O**=r@U>C&32fhxr=Kr7he~u6}TG%3NUk|#j*)V#Lp!"
    "0Ut6*~VWQ#a)Q5kdFs|NEF9@O8Azsrk)ve>3T)DjnRIx96K5|4K*yi@(nC^cIFszs}M8q#q5qbe-dp^yu|>xze%!^*YC2uXF"
    "r0{Cb^Zv!46he<)`xS2|ARx3Rep=~P|%f4#Et*DD);kykdRoZ)A&iD<a2+n?PmWW#zrdpGTnXFR#Idu`(Jr}+xv&qdPv@D~s"
    "_$--}52PgHyldm6czvGJ~J@dkTnjZvJ{0r&JhrfOpc4IJS(z4%4X4|z}T24PcMxW+Xabf@QM5~u;6~Bp3`*tE77JvPA;?GMm"
    "w5w?N^xKI`y(5Ze)RX&F>id^`Xzkzi%ZblPhP<1#UjD@kN9t8|hR0bieFm`}#vXnl>)!u@K7si25D7o@`NMGbRpLuweCcNoU"
    "C{H;_}pP|oqgd)4!O;~6AQm+T;Ffb&F$W*hwCYy%{+CQc07b<+tW;SNE_Ja{w#0jM)RcoF~6M~Z<>%B(EX;QM0_Ezxk3VBO&"
    "kLLl6MWx?K@2zaaZR_-KlG)`6Ok=S;F(y7GWjxlf(so#+n9%!)T&u@c`!><BhTB|4Sj)GDu^l@9Ucl+<GNkS$&UnYjJ!7I$d"
    "fL*P?Y73VG}+TxuzG4CoyOS5x6`JzuK2FkHEoqmzFnqiZ$vp<!H;4Flbw);Hl~U>7dDsf!GNkhs-MIB<8VrVOOZtQoeN16<5"
    "6)zko5xK&&j(Ao+^rf(UL=(a>$)L<{XqIV3Zo$EaV64RC#7<x&Os3t}R%;&apePTfMt>3*&Q{P|eP1X?6BZ+JB$Z+<Si2;eb"
    "F_%DKm$)V`3@Gc@vKj7=mzF(82Gs1fnz$3}(z55C;jE^NBu|%WYB;NjLk8`IngecKvaGo++~9B<<fWR40X4TZ8*m@nr8OI5N"
    "W-Ne4GTlSOomtzN6#SdY$`Py1H+Y!W9`Kl8LmjA)`E%Qq;AJ>TDNC7tD6~4>JAL2bw`G?x)W|ux-i;lVz>g@BCg32=1Zh{F%"
    "0|8EtcV=bBkj*?cCyV!_cJ{L<XtWZ!oeX21yJXbrUXR&4vD2c+p#BEp8>L7N=yKyHFJu)j6z#X;Z&aAL|AQ<E6S216~{5R#k"
    "(xXt!ihp*@f58?poZFImFgt-nAdt#=G$pIbk@XTUWyTUubig*RJTlyGSpand=k-<@m9|C(hOkkpo}+H|lCNU|ksZO}1Xk<sy"
    "A&F~CY<YW9-Go+s(Ath)=oukk*T#@7OU(Fa8uE=%xuV#!4-a1ed{a><T%kcCq(J-KFD0S8>$8be<#D6s-FnDV@HT++*B7-#3"
    "cG_Iq)vS);itLI1YDUj+MK;5KH6t@T+t|P$Q}4^dRq4;hkpZR4h_=Bl3{T&b3<H|!OLMh%$ueA#-|=6~2n<(bZv0m>CI)H5C"
    "T+~tnd@4HE3z2=s~MI7olT|FYaPe%Or6Al>9=JWDu{@5gz!wAp5ZET4PqUn2ug6>xgrDOznU>JTqRCes`G{OT|Fm7*K&n35e"
    "*QeFVSe9;#x<8Bn4ef`L9_{a2KJ&M0RBwUBb;07l@flQ9`;@Xut&<=i-S=3j?_ON_|}y8E{S1mext2Hj=iqkpbUE*wPTt;6@"
    "u=kK4G-iSFUDlQ5j6jSN?g3+C#~;7nhJq|J44Wm(*S4=$K<RmF{#;mUEfoT<q;Xfix4Ju+NH!f&keF1*%_q6SeKysFZm8y5y"
    "ypta9a%WxIhZmjK2yx>H5nsT<<XB>c$aOIio*W}1>71)bVdod-3D^5q94bkJ=C06d1mf?!4C~-|T3|AysSCwEn;qVCPQ|*y3"
    "c!Vp01^?9y&w#P6Jl6^5N4V;hxvyn$b$fTIt33lSYiln{7%o+mHCmQ4_U~I<Mad=F(r_h(T~1)lJ6wproWp|;xE5wPpCKP{C"
    "yx1ehrFPNA1<tnA6o`o(6IJp#PQqtQpJVgiY)4?GAKXcuDuH{4T1}S0<d2JHwbMC0v=bM(B-?T)I&FEM+y>l!)r-O8a+v$G&"
    ")b8&<+-|CF5Gt7nH}X9;fLJ?*(9k>U6t?0LKQ<wZl3?umS{};D*THtww@~ic9#vW*Uu<=t`zrGp$CF=u1t%)x>A+g)$?t;JL"
    "SJX3z+UrCGl<8#R(d7d6wZN(gj#L|0KQ1N^^cb{e?=VWQRlt8T$-<#I7RZ1XZg9U6z_NyY@51|k<6L7xBD%t<5Hk&okF&FV_"
    "za8ZobtK7-VumH{dC9!|*2aT=*@jUcvMu~v@aYG0*0~qGzqQZjrFCr`e2)Z?~L&PcA#=qbj&x^d`q$rN^FJ?L`YEjglwTf@o"
    "FZR4u$LqPyisJVD#hn+07O?oU4#0}F`11}x<VJK-G&qe;6N5&liAkf=#9pJbHw_w{rA`{1r7jwsrbgZod-k%3Va4;J2}Kh=m"
    "_$qEnhYINgh=wL%Bmy<$|A&?R#lI!88i-XwjIrp>swPs1hzqqWCN2lB9cMb$QtWAKrWW<tn)y;r91CDFmCD3io&wA^yftZyh"
    "}bS3Zu=E&x^vWvJ7V{4XX(vELOiJqW*BceglR)aQ%|sC65|`8Shd{bd`z*lvWkUEThxt<fX7{ETe+QPC18p0?}#nAo$C4HkJ"
    "u3Oy}K(^ZhchT`q4;pLqlISrc>6XeXY?GuoZc+nv$wtnC`ROCL4b3mImiA!9ikG8oIE@(2NJO-Iv<Hf?uvv5Xq+=fa|dRcO1"
    "y`Q=?k)(HJ}o!ey$8X?2R&42)lI3s9HTdFV7l~v`Y>NW;St|97e0==j*w97$yP;ss*-Uf=5>HH-t1TH)Clzg|bTgV>P&(K;`"
    "pRcWsEw*Rud?Ikz5r?S9FrSMYc0`}YctO095>_KZ4Rzi%$7w{ZVY9PJn%79H*tE+D8eJ6&Q2DWDM~$wEIj8(svlF86Vvi?{w"
    "E8BIN@9u1So&SgqEV@{8zmMIQOU8p9L&rmJyA+v%qd<h#;Ek5+t{*&WM#+s;(G)GC7Lf4ThQy}QfpJo>)is#m98ZI*G!u<dO"
    "mZ~=$XtMJ-$g5FIbOr>`<(~po`>W@y(J;a(GS-#p1<c3Ey~0<Hcf=MgV&i>((4ZUAojjHz2zBo^H|zNUQd)n$yE~w0D;p=)F"
    "cn{EGLI5+%z0rP?`b#Miq`sFlP)BhA^i4<vEasN{rQ&ZJRkZJ$%3r|%hBjdTLSKF4TOre?PUgVjiLqS@s*jfCsieN&jE;Ua8"
    "|Xm`9g<)hcARdTx~2aU=Y(=I1!q`=hqT~0!jFTHU=)5`_wk_QoC8C~_ty86ny@{n*D_W-3_HNf(t?m=54kvrWHUlxzl@MKq<"
    "HxnVI{n76fP!CbQrSk7}Nw=(lRVH^{WnvX!|4*t=<!nbT^od$LG98;Ir?w>?Q9?YNS|lW8Wcu{PD!~)qh{IWxI7g<Zr&VyNB"
    "Vz8^yRBoAg6}N$!alE@&atOgLK7*0WPJcLNsIoT7HVnwAc7d=6n!YW`}KjF`sIN;Y@t3-(X9{I1FH>i&&lcoZGvNckQsGTTO"
    "Vj(st+A(YxSY0P+Om1I9e->%~0!%Fw@2QKr>i<fW6Sw2N>ekIz5HB@&t?CQl^Slu)Yk)JDLvK`s8V4s84EJC{Lai2v?t2&)2"
    "6+OF?;xv^b<XWgQ!>(>X&{5{0_X;Xw1TK2hv+xnG}Plv*E#rml%Fz<~ya-~0oIrtj}$?f#?vkM=kJ52Cos#{"
)


class _Tables:
    """The decoded blob: named range tables, case ranges and fold exceptions."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, list[tuple[int, int]]]] = {
            "cat": {}, "script": {}, "foldcat": {}, "foldscript": {}
        }
        self.case_lo: list[int] = []
        self.case: list[tuple[int, int, int, int, int]] = []
        self.fold: dict[int, int] = {}
        text = zlib.decompress(base64.b85decode("".join(_BLOB))).decode("ascii")
        for line in text.splitlines():
            kind, _, rest = line.partition(" ")
            if kind in self.tables:
                name, *pairs = rest.split(" ")
                self.tables[kind][name] = _decode_ranges(pairs)
            elif kind == "case":
                lo, hi, d0, d1, d2 = rest.split(" ")
                entry = (int(lo, 16), int(hi, 16), int(d0), int(d1), int(d2))
                self.case_lo.append(entry[0])
                self.case.append(entry)
            elif kind == "fold":
                r, f = rest.split(" ")
                self.fold[int(r, 16)] = int(f, 16)


def _decode_ranges(pairs: list[str]) -> list[tuple[int, int]]:
    """`delta+width` hex pairs, each delta relative to the previous range's end."""
    out: list[tuple[int, int]] = []
    prev = 0
    for pair in pairs:
        delta, width = pair.split("+")
        lo = prev + int(delta, 16)
        prev = lo + int(width, 16)
        out.append((lo, prev))
    return out


@cache
def _t() -> _Tables:
    return _Tables()


def table(name: str) -> list[tuple[int, int]] | None:
    """Ranges of a Go category (`L`, `Nd`...) or script (`Greek`...); `Any` is everything."""
    if name == "Any":
        return [(0, MAX_RUNE)]
    t = _t().tables
    found = t["cat"].get(name)
    return found if found is not None else t["script"].get(name)


def fold_table(name: str) -> list[tuple[int, int]] | None:
    """Go's FoldCategory/FoldScript: the extra runes `(?i)` adds to `\\p{name}`."""
    t = _t().tables
    if name in t["cat"]:
        return t["foldcat"].get(name)
    return t["foldscript"].get(name)


def in_table(ranges: list[tuple[int, int]], r: int) -> bool:
    i = bisect_right(ranges, (r, MAX_RUNE + 1)) - 1
    return i >= 0 and ranges[i][0] <= r <= ranges[i][1]


def _to_case(r: int, which: int) -> int:
    """Go's unicode.To(UpperCase=0 / LowerCase=1 / TitleCase=2, r): simple mappings only."""
    t = _t()
    i = bisect_right(t.case_lo, r) - 1
    if i < 0:
        return r
    lo, hi, *deltas = t.case[i]
    if r > hi:
        return r
    delta = deltas[which]
    if delta == _UPPER_LOWER:
        # Alternating pairs: even offsets are upper case, odd ones lower case.
        return lo + ((r - lo) & ~1) + (which == 1)
    return r + delta


def to_upper(r: int) -> int:
    if r < 0x80:
        return r - 32 if 97 <= r <= 122 else r
    return _to_case(r, 0)


def to_lower(r: int) -> int:
    if r < 0x80:
        return r + 32 if 65 <= r <= 90 else r
    return _to_case(r, 1)


def to_title(r: int) -> int:
    if r < 0x80:
        return r - 32 if 97 <= r <= 122 else r
    return _to_case(r, 2)


def simple_fold(r: int) -> int:
    """Go's unicode.SimpleFold: the next rune of r's case-folding orbit."""
    if r < 0 or r > MAX_RUNE:
        return r
    f = _t().fold.get(r)
    if f is not None:
        return f
    low = to_lower(r)
    return low if low != r else to_upper(r)


def fold_orbit(r: int) -> list[int]:
    """All runes case-fold-equivalent to r (r first)."""
    out = [r]
    f = simple_fold(r)
    while f != r:
        out.append(f)
        f = simple_fold(f)
    return out


_SPACE_HIGH = frozenset((0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000))


def is_space(r: int) -> bool:
    """Go's unicode.IsSpace (unlike str.isspace, U+001C..U+001F are not spaces)."""
    if r < 0x80:
        return r == 32 or 9 <= r <= 13
    return r in _SPACE_HIGH or 0x2000 <= r <= 0x200A


def is_letter(r: int) -> bool:
    if r < 0x80:
        return 65 <= (r & ~32) <= 90
    return in_table(_letters(), r)


def is_digit(r: int) -> bool:
    if r < 0x80:
        return 48 <= r <= 57
    return in_table(_digits(), r)


@cache
def _letters() -> list[tuple[int, int]]:
    return _t().tables["cat"]["L"]


@cache
def _digits() -> list[tuple[int, int]]:
    return _t().tables["cat"]["Nd"]


@cache
def foldable_runes() -> list[int]:
    """Sorted runes whose SimpleFold orbit has more than one member."""
    t = _t()
    candidates = set(t.fold)
    for lo, hi, *_ in t.case:
        candidates.update(range(lo, hi + 1))
    found = {f for r in candidates if simple_fold(r) != r for f in fold_orbit(r)}
    return sorted(found)
